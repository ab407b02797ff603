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

# Published numbers, so that the check digit is tested against someone else's arithmetic and
# not against the code that computes it:
# - GB 11643-1999 《公民身份号码》, Appendix A (公民身份号码实例): 11010519491231002X (北京市朝阳区,
#   born 1949-12-31, female, sequence 002) and 440524188001010014 (广东省汕头市潮阳县, born
#   1880-01-01, male, sequence 001). Text: https://zh.wikisource.org/wiki/GB_11643-1999_公民身份号码
# - python-stdnum, tests/test_cn_ric.doctest (github.com/arthurdejong/python-stdnum): valid
#   360426199101010071 and 44011320141005001X; 36042619910102009X refused for its checksum;
#   360426199113010079 refused for its date (month 13) although its check digit is right.
# - 11010219840406970X (valid) and 11010219840506970X, 440524189001010014, 11020519491231002X
#   (one digit changed, so the check digit no longer matches) are the Chinese test cases of
#   several open-source national-ID validators (JavaScript packages among them).

#: The example printed in GB 11643-1999 itself.
STANDARD_EXAMPLE = "11010519491231002X"
PUBLISHED_VALID = [
    # number, birth date, sex
    ("11010519491231002X", date(1949, 12, 31), "F"),  # GB 11643-1999, Appendix A
    ("440524188001010014", date(1880, 1, 1), "M"),  # GB 11643-1999, Appendix A
    ("360426199101010071", date(1991, 1, 1), "M"),  # python-stdnum
    ("44011320141005001X", date(2014, 10, 5), "M"),  # python-stdnum
    ("11010219840406970X", date(1984, 4, 6), "F"),  # validator test suites
]
PUBLISHED_WRONG_CHECK = [
    "36042619910102009X",  # python-stdnum: InvalidChecksum
    "110105194912310021",  # the standard's example with 1 for its X
    "440524189001010014",  # the standard's example, born 1890 instead of 1880
    "11020519491231002X",  # the standard's example, district 0205 instead of 0105
    "11010219840506970X",  # born in May instead of April
]


def satisfies_iso_7064_mod_11_2(number: str) -> bool:
    """The check-code rule of GB 11643-1999 (ISO 7064:1983 MOD 11-2) as the standard states it.

    Independent of ``check_digit``'s weights and lookup table: all eighteen characters a_i
    (X = 10), weighted by W_i = 2^(i-1) mod 11 with i counted from the right starting at 1, sum
    to 1 modulo 11.
    """
    values = [10 if c == "X" else int(c) for c in number]
    return sum(a * pow(2, 17 - k, 11) for k, a in enumerate(values)) % 11 == 1


def test_the_standards_own_example_is_valid():
    # 1*7 + 1*9 + 0*10 + 1*5 + 0*8 + 5*4 + 1*2 + 9*1 + 4*6 + 9*3 + 1*7 + 2*9 + 3*10 + 1*5
    # + 0*8 + 0*4 + 2*2 = 167; 167 mod 11 = 2, whose check character is X.
    assert check_digit(STANDARD_EXAMPLE[:17]) == "X"
    assert is_valid_id_number(STANDARD_EXAMPLE)
    assert normalise_id_number(STANDARD_EXAMPLE) == STANDARD_EXAMPLE


@pytest.mark.parametrize("number, birth, sex", PUBLISHED_VALID)
def test_published_numbers_are_valid_with_their_birth_date_and_sex(number, birth, sex):
    assert check_digit(number[:17]) == number[17]
    assert is_valid_id_number(number)
    assert normalise_id_number(number.lower()) == number
    assert birth_date_of(number) == birth
    assert sex_of(number) == sex


@pytest.mark.parametrize("number", PUBLISHED_WRONG_CHECK)
def test_published_numbers_with_a_wrong_check_digit_are_refused(number):
    with pytest.raises(InvalidIdNumber, match="check digit"):
        normalise_id_number(number)
    assert not is_valid_id_number(number)


@pytest.mark.parametrize(
    "region, birth, sequence, published",
    [
        ("110105", date(1949, 12, 31), 2, "11010519491231002X"),
        ("440524", date(1880, 1, 1), 1, "440524188001010014"),
        ("360426", date(1991, 1, 1), 7, "360426199101010071"),
        ("440113", date(2014, 10, 5), 1, "44011320141005001X"),
    ],
)
def test_make_id_number_rebuilds_the_published_numbers(region, birth, sequence, published):
    assert make_id_number(region, birth, sequence) == published


def test_exactly_one_check_character_fits_and_it_is_the_standards():
    """For many bodies, of the eleven candidates only the one ISO 7064 MOD 11-2 allows passes."""
    seen = set()
    for sequence in range(0, 1000, 7):
        first17 = f"37160219900101{sequence:03d}"
        accepted = [c for c in "0123456789X" if is_valid_id_number(first17 + c)]
        assert accepted == [c for c in "0123456789X" if satisfies_iso_7064_mod_11_2(first17 + c)]
        assert len(accepted) == 1 and check_digit(first17) == accepted[0]
        seen.add(accepted[0])
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
    with pytest.raises(InvalidIdNumber, match="check digit"):
        normalise_id_number("44052418800101001X")  # the standard's second example ends in 4


@pytest.mark.parametrize("number", [n for n, _, _ in PUBLISHED_VALID])
def test_every_single_changed_digit_of_a_published_number_is_caught(number):
    for position in range(17):
        for digit in "0123456789":
            if digit != number[position]:
                changed = number[:position] + digit + number[position + 1 :]
                assert not is_valid_id_number(changed), changed


@pytest.mark.parametrize(
    "value", ["", "1101051949123100", "11010519491231002", "11010519491231002XX", "110105194912310"]
)
def test_wrong_length_is_refused(value):
    with pytest.raises(InvalidIdNumber, match="18 characters"):
        normalise_id_number(value)
    assert not is_valid_id_number(value)


def test_none_is_refused_not_crashed():
    assert not is_valid_id_number(None)


@pytest.mark.parametrize(
    "number",
    [
        "371602199902301234",  # 30 February
        "371602199913011232",  # month 13
        "371602199900011233",  # month 0
        "37160219990100123X",  # day 0
        "371602190002291236",  # 29 February 1900 (not a leap year)
        "360426199113010079",  # python-stdnum's invalid date (month 13)
    ],
)
def test_an_impossible_birth_date_is_refused(number):
    assert satisfies_iso_7064_mod_11_2(number)  # the check digit is right: only the date is wrong
    with pytest.raises(InvalidIdNumber, match="impossible birth date"):
        normalise_id_number(number)
    assert not is_valid_id_number(number)


def test_a_leap_day_in_a_leap_year_is_possible():
    assert is_valid_id_number("371602200002291232")  # 29 February 2000


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
    assert sex_of("440524188001010014") == "M"  # 1: odd


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
