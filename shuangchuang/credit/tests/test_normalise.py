"""Normalisation of enterprise names: what is folded away and what is kept."""

import pytest

from shuangchuang.credit.normalise import parse_name, person_name, pinyin, regions_compatible

BASE = "鹏城创芯科技|有限公司"


@pytest.mark.parametrize("variant", [
    "深圳市鹏城创芯科技有限公司",
    "深圳市鹏城创芯科技有限责任公司",
    "深圳市鹏城创芯科技股份有限公司",
    "鹏城创芯科技（深圳）有限公司",
    "鹏城创芯科技(深圳)有限公司",
    "鹏城创芯科技【深圳】有限公司",
    "鹏城创芯科技有限公司",
    "深圳鹏城创芯科技有限公司",
    "广东省深圳市南山区鹏城创芯科技有限公司",
    "深圳市 鹏城 创芯科技 有限公司",
    "深圳市鵬城創芯科技有限公司",
    "ｓｈｅｎｚｈｅｎ鹏城创芯科技有限公司".replace("ｓｈｅｎｚｈｅｎ", ""),
])
def test_identity_preserving_variants_share_one_name_key(variant):
    assert parse_name(variant).name_key == BASE


def test_full_width_latin_letters_and_digits_fold_to_half_width_upper_case():
    assert parse_name("深圳市ＡＢｃ１２３科技有限公司").name_key == "ABC123科技|有限公司"


@pytest.mark.parametrize("name, regions", [
    ("深圳市鹏城创芯科技有限公司", {"4403"}),
    ("广东省深圳市南山区鹏城创芯科技有限公司", {"440305"}),
    ("鹏城创芯科技（广州）有限公司", {"4401"}),
    ("鹏城创芯科技有限公司", set()),
])
def test_regions_are_read_as_gb2260_codes(name, regions):
    assert set(parse_name(name).regions) == regions


def test_a_province_and_a_city_in_it_are_compatible_regions_and_two_cities_are_not():
    assert regions_compatible({"44"}, {"4403"})
    assert regions_compatible({"440305"}, {"4403"})
    assert not regions_compatible({"4401"}, {"4403"})


@pytest.mark.parametrize("name, key", [
    ("中山大学", "中山大学|"),  # a short region word stays when too little would remain
    ("北京科技有限公司", "北京科技|有限公司"),
    ("长城科技有限公司", "长城科技|有限公司"),  # not a region at all
])
def test_region_words_are_not_taken_from_short_names(name, key):
    assert parse_name(name).name_key == key


def test_other_organisation_forms_stay_apart_from_the_limited_company_family():
    assert parse_name("深圳市前海创投合伙企业（有限合伙）").form == "有限合伙"
    branch = parse_name("深圳市鹏城创芯科技有限公司南山分公司")
    assert (branch.core, branch.form) == ("鹏城创芯科技有限公司南山", "分公司")


def test_raw_form_is_kept_for_explaining_differences_within_the_family():
    assert parse_name("深圳市鹏城创芯科技股份有限公司").raw_form == "股份有限公司"
    assert parse_name("深圳市鹏城创芯科技股份有限公司").form == "有限公司"


def test_homophones_share_a_pinyin_key():
    assert parse_name("深圳市彭城创新科技有限公司").pinyin_key == parse_name("深圳市鹏城创芯科技有限公司").pinyin_key
    assert pinyin("鹏城") == "pengcheng"


def test_near_keys_let_names_one_character_apart_meet():
    a = parse_name("深圳市鹏城创芯科技有限公司").near_keys
    b = parse_name("深圳市鹏城创达科技有限公司").near_keys
    assert a & b == {"鹏城创科技"}


def test_person_names_fold_width_spaces_and_middle_dots():
    assert person_name(" 阿依·古丽 ") == person_name("阿依古丽") == "阿依古丽"


@pytest.mark.parametrize("core, trade, industry", [
    ("鹏城创芯科技", "鹏城创芯", "科技"),
    ("怡林人力资源", "怡林", "人力资源"),
    ("南岭云数信息技术", "南岭云数", "信息技术"),
    ("鹏城创芯", "鹏城创芯", ""),
    ("铂晋基金管理合伙企业", "铂晋", "基金管理合伙企业"),
])
def test_the_trade_name_is_told_from_the_industry_wording(core, trade, industry):
    from shuangchuang.credit.normalise import split_trade

    assert split_trade(core) == (trade, industry)


def test_short_trade_names_have_no_near_keys():
    assert parse_name("深圳市怡林人力资源有限公司").near_keys == set()


def test_shops_written_with_bu_keep_their_trade_name_apart():
    parsed = parse_name("深圳市坪山区阿丽广告部")
    assert (parsed.trade, parsed.industry, parsed.form) == ("阿丽", "广告", "部")


def test_a_region_word_outside_the_first_region_stays_in_the_trade_name():
    parsed = parse_name("深圳市阿里巴巴网络科技有限公司")
    assert parsed.region_words == ("深圳市",)
    assert parsed.trade == "阿里巴巴"


def test_nested_region_words_are_all_taken():
    parsed = parse_name("广东省深圳市南山区鹏城创芯科技有限公司")
    assert parsed.region_words == ("广东省", "深圳市", "南山区")
    assert parsed.regions == frozenset({"440305"})
