"""The questionnaire's message catalogue."""

from __future__ import annotations

import pytest

from maturity_core.questionnaire._messages import (
    CATALOGUE,
    catalogue_language,
    message,
    spellings,
)


@pytest.mark.parametrize("lang", sorted(CATALOGUE))
def test_every_key_exists_in_every_language(lang: str) -> None:
    """Each catalogue language has exactly the English keys."""
    assert sorted(CATALOGUE["en"]) == sorted(CATALOGUE[lang])


@pytest.mark.parametrize("lang", sorted(CATALOGUE))
def test_every_text_is_filled_in(lang: str) -> None:
    """No catalogue text is blank."""
    assert [] == [k for k, v in CATALOGUE[lang].items() if not v.strip()]


@pytest.mark.parametrize("lang", sorted(CATALOGUE))
def test_placeholders_agree_with_english(lang: str) -> None:
    """A text names the same placeholders in every language."""

    def names(text: str) -> set[str]:
        import string

        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert {k: names(v) for k, v in CATALOGUE["en"].items()} == {
        k: names(v) for k, v in CATALOGUE[lang].items()
    }


@pytest.mark.parametrize(
    "prefix", ["sheet.", "column.", "field.", "mode.", "role."]
)
def test_spellings_name_one_thing_each(prefix: str) -> None:
    """Within a kind, no spelling in any language names two keys."""
    owner: dict[str, set[str]] = {}
    for texts in CATALOGUE.values():
        for key, text in texts.items():
            if key.startswith(prefix):
                owner.setdefault(text.casefold(), set()).add(key)

    assert {} == {t: keys for t, keys in owner.items() if len(keys) > 1}


def test_a_language_the_catalogue_lacks_falls_back_to_english() -> None:
    """French is not in the catalogue, so its texts are English."""
    assert "rating" == message("column.rating", "fr")


def test_a_regional_tag_finds_its_language() -> None:
    """zh-Hans is served by the zh catalogue."""
    assert ("zh", "评分") == (
        catalogue_language("zh-Hans"),
        message("column.rating", "zh-Hans"),
    )


def test_placeholders_are_filled_in() -> None:
    """message() fills in the text's placeholders."""
    assert "[原文，zh]" == message("text.original", "zh", language="zh")


def test_spellings_list_every_language_once() -> None:
    """spellings() gives a key's distinct texts, English first."""
    assert ("yes", "是", "ja") == spellings("mark.yes")


def test_unknown_key() -> None:
    """A key the catalogue lacks is a KeyError."""
    with pytest.raises(KeyError):
        message("column.nonesuch", "en")
