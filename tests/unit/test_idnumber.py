"""The resident ID number: GB 11643 check digit, normalisation, what is wrong, masking."""

from datetime import date

import pytest

from shebao.people.idnumber import (
    InvalidIdNumber,
    birth_date_of,
    check_digit,
    is_valid_id_number,
    make_id_number,
    mask_id_number,
    mask_name,
    normalise_id_number,
    sex_of,
)

#: The example printed in GB 11643-1999 itself.
STANDARD_EXAMPLE = "11010519491231002X"


def test_the_standards_own_example_is_valid():
    assert check_digit(STANDARD_EXAMPLE[:17]) == "X"
    assert is_valid_id_number(STANDARD_EXAMPLE)
    assert normalise_id_number(STANDARD_EXAMPLE) == STANDARD_EXAMPLE


@pytest.mark.parametrize(
    "number, check",
    [
        ("11010519491231002X", "X"),  # GB 11643 example
        ("440524188001010014", "4"),  # widely published example, check digit 4
        ("110101199003070011", "1"),
    ],
)
def test_known_numbers_have_their_check_digit(number, check):
    assert check_digit(number[:17]) == check
    assert is_valid_id_number(number)


@pytest.mark.parametrize(
    "region, birth, sequence",
    [
        ("371602", date(1985, 3, 12), 11),
        ("371400", date(1958, 7, 1), 22),
        ("379900", date(2004, 2, 29), 999),
        ("110105", date(1949, 12, 31), 2),
    ],
)
def test_numbers_built_by_make_id_number_are_valid(region, birth, sequence):
    number = make_id_number(region, birth, sequence)
    assert len(number) == 18
    assert number.startswith(region + f"{birth:%Y%m%d}")
    assert number[14:17] == f"{sequence:03d}"
    assert is_valid_id_number(number)
    assert birth_date_of(number) == birth
    assert sex_of(number) == ("M" if sequence % 2 else "F")


def test_every_check_digit_value_occurs_and_validates():
    """All eleven check characters (0-9 and X) come out of make_id_number and validate."""
    seen = set()
    for sequence in range(200):
        number = make_id_number("371602", date(1990, 1, 1), sequence)
        assert is_valid_id_number(number)
        seen.add(number[17])
    assert seen == set("0123456789X")


def test_lower_case_x_is_normalised_to_upper_case():
    assert normalise_id_number("11010519491231002x") == STANDARD_EXAMPLE
    assert is_valid_id_number("11010519491231002x")


def test_surrounding_spaces_are_stripped():
    assert normalise_id_number("  11010519491231002X \n") == STANDARD_EXAMPLE


@pytest.mark.parametrize("wrong", "0123456789")
def test_a_wrong_check_digit_is_refused(wrong):
    with pytest.raises(InvalidIdNumber, match="check digit"):
        normalise_id_number("11010519491231002" + wrong)
    assert not is_valid_id_number("11010519491231002" + wrong)


def test_a_wrong_check_x_is_refused():
    number = make_id_number("371602", date(1990, 1, 1), 120)
    assert number[17] != "X"
    with pytest.raises(InvalidIdNumber, match="check digit"):
        normalise_id_number(number[:17] + "X")


def test_one_changed_digit_is_caught():
    number = make_id_number("371602", date(1985, 3, 12), 11)
    changed = number[:5] + str((int(number[5]) + 1) % 10) + number[6:]
    assert not is_valid_id_number(changed)


@pytest.mark.parametrize(
    "value", ["", "1101051949123100", "11010519491231002", "11010519491231002XX", "110105194912310"]
)
def test_wrong_length_is_refused(value):
    with pytest.raises(InvalidIdNumber, match="18 characters"):
        normalise_id_number(value)
    assert not is_valid_id_number(value)


def test_none_is_refused_not_crashed():
    assert not is_valid_id_number(None)


@pytest.mark.parametrize("birth", ["19990230", "19991301", "19990001", "19990100", "19000229"])
def test_an_impossible_birth_date_is_refused(birth):
    first17 = f"371602{birth}123"
    number = first17 + check_digit(first17)  # a correct check digit: only the date is wrong
    with pytest.raises(InvalidIdNumber, match="impossible birth date"):
        normalise_id_number(number)
    assert not is_valid_id_number(number)


def test_a_leap_day_in_a_leap_year_is_possible():
    first17 = "37160220000229123"
    assert is_valid_id_number(first17 + check_digit(first17))


@pytest.mark.parametrize(
    "value",
    [
        "A1010519491231002X",  # letter at the start
        "1101051949123100AX",  # letter inside
        "11010519491231002Y",  # a letter other than X at the end
        "X10105194912310020",  # X anywhere but last
        "01010519491231002X",  # cannot start with 0
        "110105 9491231002X",  # space inside
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits
    ],
)
def test_letters_and_other_characters_are_refused(value):
    with pytest.raises(InvalidIdNumber, match="17 digits followed by a digit or X"):
        normalise_id_number(value)
    assert not is_valid_id_number(value)


def test_sex_comes_from_the_seventeenth_digit():
    assert sex_of("11010519491231002X") == "F"  # 2: even
    assert sex_of(make_id_number("371602", date(1990, 1, 1), 11)) == "M"


def test_mask_keeps_the_first_four_and_last_four_only():
    assert mask_id_number("371602199001011234") == "3716**********1234"
    assert mask_id_number(STANDARD_EXAMPLE) == "1101**********002X"
    masked = mask_id_number("371602198503120115")
    assert len(masked) == 18
    assert "19850312" not in masked and "371602" not in masked


@pytest.mark.parametrize("value, masked", [("", ""), (None, ""), ("1234567", "*******")])
def test_mask_of_short_or_missing_numbers_reveals_nothing(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    "name, masked",
    [("张三丰", "张**"), ("李娜", "李*"), ("王", "王"), ("", ""), ("欧阳娜娜", "欧***")],
)
def test_mask_name_keeps_the_surname_character(name, masked):
    assert mask_name(name) == masked
