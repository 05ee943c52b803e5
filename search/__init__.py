"""The Briefing Cards engine: read articles, extract actors/places/figures, index, query, cards. No Qt here."""
