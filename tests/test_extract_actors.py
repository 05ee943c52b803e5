"""Actors a briefer can trust: roles keep their qualifiers, one person is one actor, and places,
time zones, peoples and titles are not actors. Made-up text, entities placed by hand."""

from __future__ import annotations

from made_up import made_up_entities

from search.extract.not_actors import is_demonym, is_not_an_actor
from search.extract.pipeline import extract_from_entities
from search.models import Actor, Extraction


def _actor(extraction: Extraction, name: str) -> Actor:
    found = [a for a in extraction.actors if a.name == name]
    assert len(found) == 1, f"{name!r} in {[a.name for a in extraction.actors]}"
    return found[0]


def _role(text: str, name: str, *others: tuple[str, str]) -> str | None:
    ex = extract_from_entities(text, made_up_entities(text, *others, ("PERSON", name)))
    return _actor(ex, name).role


def test_a_role_keeps_its_qualifier_and_portfolio() -> None:
    assert _role("Shadow chancellor Petra Lindqvist said no.", "Petra Lindqvist") == (
        "Shadow chancellor"
    )
    assert _role("Environment Secretary Maria Dunne said no.", "Maria Dunne") == (
        "Environment Secretary"
    )
    assert _role(
        "It came as the former international development minister Clara Stott quit.", "Clara Stott"
    ) == ("former international development minister")
    assert _role("It hit the ex-minister Anna Widdle.", "Anna Widdle") == "ex-minister"
    assert _role("Rules irk shadow home secretary Dev Kohli.", "Dev Kohli") == (
        "shadow home secretary"
    )


def test_a_qualifier_before_a_party_stays_with_the_role() -> None:
    text = "Then the former Labour MP Robert Vance-Hill spoke."
    assert _role(text, "Robert Vance-Hill", ("ORG", "Labour")) == "former Labour MP"
    # A nationality alone is not part of the role.
    text = "Then Japanese Foreign Minister Kenji Arata spoke."
    assert _role(text, "Kenji Arata", ("NORP", "Japanese")) == "Foreign Minister"


def test_a_descriptive_noun_before_a_name_is_its_role() -> None:
    assert _role('Fines hit "shock jock" Dale Harrow again.', "Dale Harrow") == "shock jock"
    assert _role("Tea magnate Vikram Sethi set up a bank.", "Vikram Sethi") == "Tea magnate"
    assert _role("Fly-half Colin Ashby missed.", "Colin Ashby") == "Fly-half"
    text = "Then Wales skipper Gareth Pryce admitted it."
    assert _role(text, "Gareth Pryce", ("GPE", "Wales")) == "Wales skipper"
    text = "It came from Evening Courier journalist Ruth Dale."
    assert _role(text, "Ruth Dale", ("ORG", "Courier")) == "Evening Courier journalist"
    # A verb or a plural before the name is no role.
    assert _role("The judge told Mark Ellison to sit.", "Mark Ellison") is None
    assert _role("Team-mates and sprinters Ian Frew and Tom Bell ran.", "Ian Frew") is None


def test_a_party_before_a_lowercase_role_stays_with_it() -> None:
    text = "It showed Green leader Anna Kerr as a villain."
    assert _role(text, "Anna Kerr", ("NORP", "Green")) == "Green leader"


def test_a_portfolio_after_of_or_for_and_an_organisation_after_the_name_are_roles() -> None:
    text = "It is over, the minister for rural transport Vijay Rao said."
    assert _role(text, "Vijay Rao") == "minister for rural transport"
    text = '"We are lazy," Dan Roe from Callwise said.'
    assert _role(text, "Dan Roe", ("ORG", "Callwise")) == "from Callwise"


def test_a_lowercase_portfolio_does_not_take_a_capitalised_word_before_it() -> None:
    text = "They praised ex-Harbour Street media chief Tom Ellery."
    assert _role(text, "Tom Ellery") == "media chief"


def test_a_surname_written_alone_is_the_person_named_in_full() -> None:
    text = (
        "The former MP Robert Vance-Hill was attacked. Vance-Hill said he was fine, and "
        "Vance-Hill's party agreed. Coach David O'Rourke left. O'Rourke said so. "
        "Tony Barraclough spoke. Mr Barraclough said no."
    )
    ents = made_up_entities(
        text,
        ("PERSON", "Robert Vance-Hill"),
        ("ORG", "Vance-Hill"),
        ("ORG", "Vance-Hill's"),
        ("PERSON", "David O'Rourke"),
        ("ORG", "O'Rourke"),
        ("PERSON", "Tony Barraclough"),
        ("PERSON", "Mr Barraclough"),
    )
    ex = extract_from_entities(text, ents)
    assert [(a.name, a.kind, a.count) for a in ex.actors] == [
        ("Robert Vance-Hill", "person", 3),
        ("David O'Rourke", "person", 2),
        ("Tony Barraclough", "person", 2),
    ]


def test_an_acronym_in_brackets_joins_its_name_wherever_it_is_written() -> None:
    text = (
        "The Eastern People's Army (EPA) fired shells. Later the EPA said it had acted, "
        "and an EPA spokesman denied it."
    )
    ents = made_up_entities(
        text, ("ORG", "The Eastern People's Army"), ("ORG", "EPA"), ("PERSON", "EPA")
    )
    ex = extract_from_entities(text, ents)
    army = _actor(ex, "Eastern People's Army")
    assert army.kind == "organization" and army.count == 4
    assert len(ex.actors) == 1


def test_time_zones_titles_and_honours_alone_are_not_actors() -> None:
    text = (
        "At 1200 GMT Ruth Kell, the Elmbridge North MP, met the MEP. She has an OBE and two MEPs "
        "agreed. The CEO and the Chancellor did not."
    )
    ents = made_up_entities(
        text,
        ("ORG", "GMT"),
        ("PERSON", "Ruth Kell"),
        ("PERSON", "Elmbridge North MP"),
        ("ORG", "MEP"),
        ("ORG", "OBE"),
        ("ORG", "MEPs"),
        ("ORG", "CEO"),
        ("PERSON", "the Chancellor"),
    )
    ex = extract_from_entities(text, ents)
    assert [a.name for a in ex.actors] == ["Ruth Kell"]
    assert is_not_an_actor("UTC") and not is_not_an_actor("Utc")  # a time zone is in capitals


def test_peoples_are_not_actors_but_a_word_of_a_full_name_is() -> None:
    for people in (
        "Britons",
        "Bangladeshi",
        "Americans",
        "New Zealanders",
        "Aussies",
        "Germans",
        "Pakistanis",
        "Londoners",
    ):
        assert is_demonym(people), people
    for name in ("Brian", "Julian", "Morgan", "Adrian", "Roman", "Christians", "Sheridan"):
        assert not is_demonym(name), name
    text = "Many Britons and Bangladeshi workers cheered as Mark Cuban arrived. Cuban waved."
    ents = made_up_entities(
        text,
        ("PERSON", "Britons"),
        ("PERSON", "Bangladeshi"),
        ("PERSON", "Mark Cuban"),
        ("PERSON", "Cuban"),
    )
    ex = extract_from_entities(text, ents)
    assert [(a.name, a.count) for a in ex.actors] == [("Mark Cuban", 2)]


def test_names_the_text_writes_as_places_are_places() -> None:
    text = (
        "Police went to a flat in Bethnal Green, east London. Aid reached slums in Narobi. "
        "Shells hit Dallow, a county north of Seoul. She grew up in Kirkcaldy and moved to "
        "Stepney Green."
    )
    ents = made_up_entities(
        text,
        ("ORG", "Bethnal Green"),
        ("GPE", "London"),
        ("ORG", "Narobi"),
        ("PERSON", "Dallow"),
        ("GPE", "Seoul"),
        ("PERSON", "Kirkcaldy"),
        ("PERSON", "Stepney Green"),
    )
    ex = extract_from_entities(text, ents)
    assert not ex.actors
    assert {p.name for p in ex.places} == {
        "Bethnal Green",
        "London",
        "Narobi",
        "Dallow",
        "Seoul",
        "Kirkcaldy",
        "Stepney Green",
    }


def test_actors_written_near_place_words_stay_actors() -> None:
    text = (
        "Hugh Green said in Leeds that Bath won. Bath's coach was happy at Bath, and Bath said so. "
        "Data from Sim cards appeared in the Freedom article. Trust in Mr Hulme fell; Hulme said so."
    )
    ents = made_up_entities(
        text,
        ("PERSON", "Hugh Green"),
        ("GPE", "Leeds"),
        ("ORG", "Bath"),
        ("ORG", "Bath"),
        ("ORG", "Bath"),
        ("ORG", "Bath"),
        ("ORG", "Sim"),
        ("ORG", "Freedom"),
        ("PERSON", "Mr Hulme"),
        ("PERSON", "Hulme"),
    )
    ex = extract_from_entities(text, ents)
    # "Sim" of "Sim cards" is neither: the name of a product's part (see the test on products).
    assert {a.name for a in ex.actors} == {"Hugh Green", "Bath", "Freedom", "Hulme"}
    assert [p.name for p in ex.places] == ["Leeds"]


def test_an_initial_joins_only_the_full_name_it_starts() -> None:
    text = "Neil Brack and Simon Brack played. N. Brack scored, S. Brack missed and Brack went off."
    ents = made_up_entities(
        text,
        ("PERSON", "Neil Brack"),
        ("PERSON", "Simon Brack"),
        ("PERSON", "N. Brack"),
        ("PERSON", "S. Brack"),
    )
    ex = extract_from_entities(text, ents)
    assert {(a.name, a.count) for a in ex.actors} == {("Neil Brack", 2), ("Simon Brack", 2)}


def test_a_surname_tagged_as_a_place_is_the_person() -> None:
    text = "Ronan O'Garvey kicked. O'Garvey scored twice."
    ents = made_up_entities(text, ("PERSON", "Ronan O'Garvey"), ("GPE", "O'Garvey"))
    ex = extract_from_entities(text, ents)
    assert [(a.name, a.count) for a in ex.actors] == [("Ronan O'Garvey", 2)] and not ex.places


def test_an_honorific_name_tagged_org_is_a_person_only_with_a_person_s_evidence() -> None:
    text = (
        "Brands such as Dr Crumble and Fizzco sold well. Tara Voss spoke. Dr Voss said sales rose. "
        "Mr Penrose said no. Dr Voss cited a study."
    )
    ents = made_up_entities(
        text,
        ("ORG", "Dr Crumble"),
        ("ORG", "Fizzco"),
        ("PERSON", "Tara Voss"),
        ("ORG", "Dr Voss"),
        ("ORG", "Mr Penrose"),
        ("WORK_OF_ART", "Dr Voss"),
    )
    ex = extract_from_entities(text, ents)
    assert {(a.name, a.kind, a.count) for a in ex.actors} == {
        ("Dr Crumble", "organization", 1),
        ("Fizzco", "organization", 1),
        ("Tara Voss", "person", 3),
        ("Penrose", "person", 1),
    }


def test_a_town_of_and_a_comma_beside_a_place_make_a_place() -> None:
    text = (
        "Shells hit the town of Dorvale. Schools in Livorno, Tuscany, paid. "
        "Take Obama, Obama's advisers. Few knew the state of Fizzco's finances; Fizzco fell."
    )
    ents = made_up_entities(
        text,
        ("ORG", "Dorvale"),
        ("GPE", "Livorno"),
        ("PERSON", "Tuscany"),
        ("PERSON", "Obama"),
        ("GPE", "Obama's"),
        ("ORG", "Fizzco"),
        ("ORG", "Fizzco"),
    )
    ex = extract_from_entities(text, ents)
    # "Obama" stays a person: the place after the comma is the same name.
    assert [a.name for a in ex.actors] == ["Fizzco", "Obama"]
    assert {p.name for p in ex.places} >= {"Dorvale", "Livorno", "Tuscany"}


def _names(text: str, *ents: tuple[str, str]) -> tuple[list[tuple[str, str]], list[str]]:
    ex = extract_from_entities(text, made_up_entities(text, *ents))
    return [(a.name, a.kind) for a in ex.actors], [p.name for p in ex.places]


def test_events_competitions_and_awards_are_neither_actors_nor_places() -> None:
    text = "Vera Lind missed the Tarn Cup tie and the Lakeside Super Bowl show; no Olympic medal."
    actors, places = _names(
        text,
        ("PERSON", "Vera Lind"),
        ("PERSON", "Tarn Cup"),
        ("GPE", "Lakeside Super Bowl"),
        ("PERSON", "Olympic"),
    )
    assert actors == [("Vera Lind", "person")] and places == []


def test_a_nickname_and_a_word_of_a_title_are_not_places() -> None:
    text = (
        "Ruiz, nicknamed Chato, won. The band's Lost in Fear with the Night tour sold out in Leeds."
    )
    actors, places = _names(
        text, ("PERSON", "Ruiz"), ("GPE", "Chato"), ("GPE", "Fear"), ("GPE", "Leeds")
    )
    assert places == ["Leeds"]


def test_names_of_products_and_sectors_are_not_actors() -> None:
    text = "Data on Sim cards is lost. Sim cards are cheap. Media giant Vantacom paid $3m."
    actors, _ = _names(text, ("ORG", "Sim"), ("ORG", "Sim"), ("ORG", "Media"), ("ORG", "Vantacom"))
    assert actors == [("Vantacom", "organization")]


def test_a_name_after_a_noun_for_an_organisation_is_an_organisation() -> None:
    text = "It bought its subsidiary Kazu. Metal band Zephyr played. Air Belvia ordered jets."
    actors, _ = _names(text, ("PERSON", "Kazu"), ("PERSON", "Zephyr"), ("PERSON", "Air Belvia"))
    assert sorted(actors) == [
        ("Air Belvia", "organization"),
        ("Kazu", "organization"),
        ("Zephyr", "organization"),
    ]


def test_a_name_stops_at_a_spaced_dash_and_leaves_a_sentence_adverb_out() -> None:
    text = "He stood by Alan Pike - the man in charge. Nevertheless Tom Varga won."
    actors, _ = _names(text, ("PERSON", "Alan Pike - the"), ("PERSON", "Nevertheless Tom Varga"))
    assert sorted(actors) == [("Alan Pike", "person"), ("Tom Varga", "person")]


def test_a_peer_tagged_as_an_organisation_is_the_person() -> None:
    text = "Lord Penhallow, a former MP, challenged him."
    ex = extract_from_entities(text, made_up_entities(text, ("ORG", "Penhallow")))
    assert [(a.name, a.kind, a.role) for a in ex.actors] == [
        ("Lord Penhallow", "person", "former MP")
    ]


def test_an_acronym_tagged_as_a_place_and_an_organisation_is_the_organisation() -> None:
    text = "KT said sales rose. Users of KT grew. More joined KT as KT Retail cut prices."
    actors, places = _names(text, ("ORG", "KT Retail"), ("GPE", "KT"), ("GPE", "KT"), ("ORG", "KT"))
    assert ("KT", "organization") in actors and places == []


def test_a_title_the_text_uses_as_a_one_word_name_is_a_person() -> None:
    text = 'Sultan earned $5m in 2004, more than Aria. "Sultan returned to the stage," it said.'
    actors, _ = _names(text, ("PERSON", "Aria"))
    assert ("Sultan", "person") in actors
    # A title used as a title stays out.
    text = "The Sultan earned $5m. The Sultan returned. Aria sang."
    actors, _ = _names(text, ("PERSON", "Aria"))
    assert actors == [("Aria", "person")]


def test_a_portfolio_the_model_tagged_as_an_organisation_stays_in_the_role() -> None:
    text = "The country halted payments, Finance Minister Dilo Funar said."
    assert _role(text, "Dilo Funar", ("ORG", "Finance")) == "Finance Minister"


def test_names_shouted_only_in_a_wire_headline_are_dropped() -> None:
    text = (
        "WHEAT SALE TO MOSKVA\n\n"
        "VALDORIA, May 5 - Exporters sold 150,000 tonnes of wheat to Moskva, Graintrade Inc said."
    )
    actors, places = _names(
        text,
        ("PERSON", "WHEAT SALE"),
        ("GPE", "MOSKVA"),
        ("GPE", "VALDORIA"),
        ("GPE", "Moskva"),
        ("ORG", "Graintrade Inc"),
    )
    assert ("WHEAT SALE", "person") not in actors  # only in the headline
    assert ("Graintrade Inc", "organization") in actors
    assert "Moskva" in places  # also in the prose: the headline mention is the same place
    assert "MOSKVA" not in places


def test_a_company_without_its_legal_form_is_the_same_company() -> None:
    text = "Zentrix Corp agreed to buy Halbrook Inc. Halbrook has 12 mln shares; Zentrix said so."
    actors, _ = _names(
        text,
        ("ORG", "Zentrix Corp"),
        ("ORG", "Halbrook Inc"),
        ("ORG", "Halbrook"),
        ("ORG", "Zentrix"),
    )
    assert sorted(kind for _, kind in actors) == ["organization", "organization"]
    assert {name for name, _ in actors} <= {"Zentrix Corp", "Zentrix", "Halbrook Inc", "Halbrook"}


def test_a_given_name_and_surname_the_model_tagged_as_an_organisation_is_a_person() -> None:
    text = "The show's hosts, Richard Mallow and Dominic Wood, thanked the Tarnhill Records team."
    actors, _ = _names(
        text, ("PERSON", "Richard Mallow"), ("ORG", "Dominic Wood"), ("ORG", "Tarnhill Records")
    )
    assert ("Dominic Wood", "person") in actors
    assert ("Tarnhill Records", "organization") in actors


def test_a_common_word_opening_a_sentence_is_no_person() -> None:
    text = "Freezing weather pushed prices up. Trader Vic Shum said demand rose."
    actors, _ = _names(text, ("PERSON", "Freezing"), ("PERSON", "Vic Shum"))
    assert actors == [("Vic Shum", "person")]


def test_the_first_word_of_a_body_of_something_is_that_body() -> None:
    text = "The Bank of Valdoria held rates. The Bank said inflation was low."
    actors, _ = _names(text, ("ORG", "Bank of Valdoria"), ("ORG", "Bank"))
    assert actors == [("Bank of Valdoria", "organization")]
