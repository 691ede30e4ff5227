"""Blocks: cleaning, cutting and dropping print noise."""

from __future__ import annotations

from bedeco.documents.engine.blocks import clean_inline, is_noise, split_blocks


def test_emphasis_and_superscripts_are_removed_but_words_kept() -> None:
    assert clean_inline("de *European Battle Group* (EUBG)") == "de European Battle Group (EUBG)"
    assert clean_inline("Doc 56 **0367/ (2024/2025):**") == "Doc 56 0367/ (2024/2025):"
    assert clean_inline("de 21^e eeuw en de 5^e^ golf") == "de 21e eeuw en de 5e golf"
    assert clean_inline("snake_case blijft, _nadruk_ niet") == "snake_case blijft, nadruk niet"


def test_page_numbers_and_print_codes_are_noise_but_labels_are_not() -> None:
    assert all(is_noise(line) for line in ["3", "- 3 -", "blz. 12", "Page 3/12", "03705"])
    assert not any(is_noise(line) for line in ["3.", "3. te onderzoeken;", "13 mei 2026"])


def test_list_items_start_blocks_even_without_blank_lines() -> None:
    text = "De Kamer,\n- overwegende dat x;\n- gelet op y;\n1. vraagt z;\nvervolg van z;\n"
    blocks = split_blocks(text)
    assert [b.text for b in blocks] == [
        "De Kamer,",
        "- overwegende dat x;",
        "- gelet op y;",
        "1. vraagt z; vervolg van z;",
    ]
    assert [b.line for b in blocks] == [1, 2, 3, 4]


def test_windows_line_ends_bom_and_control_characters_are_normalised() -> None:
    blocks = split_blocks("\ufeffA. een\x00 twee\r\ndrie\r\n\r\nB. vier")
    assert [b.text for b in blocks] == ["A. een twee drie", "B. vier"]
