"""Language: the English model reads only English; other articles get empty lists and a note saying why."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from search.extract import extract_texts
from search.extract.language import detect_language, language_name, not_english_note
from search.models import Extraction

# Made-up news paragraphs. The model read "El presidente" and "La" of the Spanish one as places,
# and "Affaires" and "M. Lee" of the French one as actors.
SPANISH = (
    "El presidente del Gobierno anunció el martes un nuevo plan de inversiones para las regiones "
    "del norte. La ministra de Economía explicó que las obras empezarán en primavera y que el "
    "coste total superará los dos mil millones de euros. La oposición criticó la falta de detalles."
)
FRENCH = (
    "Le ministère des Affaires étrangères a confirmé mardi que M. Lee se rendra à Paris la semaine "
    "prochaine. Selon un porte-parole, les deux gouvernements discuteront du commerce et de la "
    "sécurité régionale. Aucune date n'a encore été fixée pour la conférence de presse."
)
GERMAN = (
    "Die Stadtverwaltung hat am Montag neue Regeln für den Verkehr in der Innenstadt vorgestellt. "
    "Nach Angaben der Bürgermeisterin sollen die Busse künftig häufiger fahren und die Parkplätze "
    "teurer werden. Viele Händler befürchten, dass weniger Kunden in die Geschäfte kommen."
)
ENGLISH = (
    "The city council announced on Monday that buses will run more often from next spring. "
    "Mayor Helen Carter said the plan would cost about £4m and help shops in the centre."
)


@pytest.mark.parametrize(("text", "code"), [(SPANISH, "es"), (FRENCH, "fr"), (GERMAN, "de")])
def test_other_languages_are_detected_on_the_body(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Paris",  # the detector calls it Serbian
        "Lee Jae Myung",
        "Shares in Tokyo rose 2%.",
        ENGLISH,
        # An English story quoting a Spanish sentence is English.
        ENGLISH
        + ' She quoted the slogan "el pueblo unido jamás será vencido" at the rally. '
        + ENGLISH,
    ],
)
def test_short_unclear_and_english_texts_count_as_english(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [(SPANISH, "es", "Spanish"), (FRENCH, "fr", "French"), (GERMAN, "de", "German")],
)
def test_an_article_not_in_english_has_no_entities_and_says_why(
    text: str, code: str, name: str
) -> None:
    extraction = next(extract_texts([text]))
    assert (extraction.actors, extraction.places, extraction.figures, extraction.quotes) == (
        [],
        [],
        [],
        [],
    )
    assert extraction.language == code
    assert extraction.note == (
        f"Entities are extracted for English articles only; this article reads as {name} ({code})."
    )


def test_order_holds_across_languages_and_english_is_extracted() -> None:
    extractions = list(extract_texts([SPANISH, ENGLISH, FRENCH, ENGLISH]))
    assert [e.language for e in extractions] == ["es", "en", "fr", "en"]
    english = extractions[1]
    assert english.note is None
    assert "Helen Carter" in [a.name for a in english.actors]
    assert extractions[3].to_dict() == english.to_dict()


def test_language_is_kept_in_the_stored_form_and_old_records_still_load() -> None:
    extraction = Extraction(language="es", note=not_english_note("es"))
    assert Extraction.from_dict(extraction.to_dict()) == extraction
    old = Extraction.from_dict({"actors": [], "places": [], "figures": [], "quotes": []})
    assert old.language is None and old.note is None


def test_language_names() -> None:
    assert language_name("es") == "Spanish (es)"
    assert language_name("xx") == "xx"


def test_extract_json_carries_the_language(tmp_path: Path) -> None:
    from search.extract.cli import extract_file

    article = tmp_path / "noticia.txt"
    article.write_text("Nuevo plan de inversiones\n\n" + SPANISH + "\n", encoding="utf-8")
    out = io.StringIO()
    assert extract_file(article, out) == 0
    record = json.loads(out.getvalue())
    assert record["language"] == "es"
    assert record["note"].startswith("Entities are extracted for English articles only")
    assert record["actors"] == [] and record["places"] == []
