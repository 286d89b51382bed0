"""Constants, vocabulary and distributions of the synthetic city (see the package docstring)."""


from __future__ import annotations

import datetime


from shuangchuang.registry.uscc import ALPHABET


REFERENCE_DATE = datetime.date(2026, 11, 28)
REFERENCE_ORD = REFERENCE_DATE.toordinal()
# updated_at of every generated row: midnight of the reference date in Shenzhen, in UTC.
UPDATED_AT = datetime.datetime(2026, 11, 27, 16, 0, tzinfo=datetime.timezone.utc)
USCC_START_ORD = datetime.date(2015, 10, 1).toordinal()  # GB 32100 in force: later firms get "MA…" bodies
BATCH_SIZE = 5000
PROGRESS_EVERY = 100_000
PARALLEL_FROM = 50_000  # from this many enterprises a forked process generates while this one writes
REBUILD_INDEXES_FROM = 50_000  # from this many (and at least as many as there are) indexes are rebuilt after
CITY_REGION = "440300"
AUTHORITY_CODE = "SZ-MQSA"
FIRST_GENERATED_SERIAL = 10  # ID sequences 000-009 are left to hand-made accounts (registry/demo.py uses 001-007)

# Organisation-code bodies: three disjoint spaces, each walked by (k * multiplier + offset) mod size,
# a bijection because each multiplier is coprime to its space.
_MA_THIRD = ALPHABET.replace("5", "")  # "MA5…" is reserved for the hand-made demo accounts
_NEW_SPACE = len(_MA_THIRD) * 31**5  # "MA" + 1 of 30 + 5 of 31
_NEW_MULTIPLIER = 547_123_463
_OLD_SPACE = 10**8  # 8-digit bodies of firms that had an organisation code before the USCC
_OLD_MULTIPLIER = 73_939_133
_REGNO_SPACE = 10**8
_REGNO_MULTIPLIER = 61_051_709
# A body used by a hand-made organisation in registry/demo.py; skipped so organisation codes stay unique.
_RESERVED_BODIES = frozenset({"45575808"})

# ---------------------------------------------------------------------------------------------------------
# Vocabulary

# Characters for trade names (字号). Rich in homophones (鑫/新/欣/信/馨/心/芯, 华/骅/桦, 鹏/朋, …) so that
# homophone trade names arise; no region names (深, 粤) and no 国 / 中 (restricted wording).
TRADE_NAME_CHARS = (
    "华骅桦达大鹏朋腾藤晟盛胜升辉晖徽汇惠慧瑞睿锐源元远园沅宏鸿弘泓虹泰太昌畅通同彤桐嘉佳家加康安"
    "宇誉裕钰煜昱玉丰峰锋枫凤龙隆金锦晋进天田海明铭名光广智志致至博波柏铂诚成城承程和合禾众联连富福"
    "孚力立利丽益亿艺怡逸毅翼易凯开威维伟唯炜科创荣融容蓉榕耀尧旭煦思斯哲捷杰迅讯航杭帆凡岭凌灵领南"
    "楠申越悦跃港湾万前乾谦千东栋西希熙喜曦贝涛韬祥翔湘享顺舜星兴行云运韵芸卓英盈赢莹颖鹰骏俊君峻美"
    "德浩豪昊泽辰晨宸奇启琪齐麒祺蓝澜兰宁平拓普浦恒衡亨森林霖麟臻振真珍环青清庆晴精京景晶菁松嵩百佰"
    "奥澳傲邦轩宣品尚上商爱诺雅亚乐坤昆世仕展飞长新鑫欣信馨心芯微数"
)

SURNAMES = (
    ("王", 71), ("李", 70), ("张", 67), ("陈", 62), ("刘", 54), ("黄", 34), ("杨", 31), ("林", 20),
    ("吴", 21), ("赵", 23), ("周", 21), ("徐", 17), ("孙", 15), ("马", 14), ("朱", 13), ("胡", 13),
    ("郭", 12), ("何", 13), ("罗", 11), ("高", 10), ("郑", 11), ("梁", 12), ("谢", 9), ("宋", 8),
    ("唐", 8), ("许", 8), ("邓", 9), ("冯", 7), ("韩", 7), ("曹", 7), ("曾", 8), ("彭", 7), ("萧", 3),
    ("蔡", 7), ("潘", 6), ("田", 6), ("董", 5), ("袁", 5), ("于", 5), ("余", 5), ("叶", 6), ("蒋", 5),
    ("杜", 5), ("苏", 5), ("魏", 5), ("程", 5), ("吕", 5), ("丁", 4), ("沈", 4), ("任", 4), ("姚", 4),
    ("卢", 4), ("钟", 5), ("姜", 4), ("崔", 3), ("谭", 4), ("廖", 4), ("范", 3), ("汪", 3), ("陆", 3),
    ("金", 3), ("石", 3), ("戴", 3), ("贾", 3), ("韦", 3), ("夏", 3), ("邱", 4), ("方", 3), ("侯", 3),
    ("邹", 3), ("熊", 3), ("孟", 3), ("秦", 3), ("白", 3), ("江", 3), ("赖", 3), ("欧阳", 0.5),
    ("司徒", 0.3), ("上官", 0.2), ("诸葛", 0.1),
)
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳晨博文亮峰建志海东锋毅豪昊睿轩然泽宏诚德家嘉振永松"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂燕萍红婷雪琳晶颖倩欣怡佳思雨梦嘉慧璐洁莉蓉薇月瑶妍晓丹琪悦涵诗青"

# Weights of GB/T 4754 divisions for companies (Shenzhen-like: trade, business services, software and
# technology, electronics). Divisions with name terms but not listed weigh 0.5; without terms, 0.
DIVISION_WEIGHTS: dict[str, float] = {
    "51": 200, "52": 90, "72": 120, "65": 80, "75": 55, "64": 25, "39": 40, "38": 14, "34": 8, "35": 10,
    "40": 5, "33": 8, "29": 7, "18": 6, "24": 5, "26": 4, "27": 3, "36": 3, "37": 2, "41": 5, "14": 2,
    "19": 2, "21": 2, "22": 2, "23": 3, "30": 2, "47": 8, "48": 6, "49": 5, "50": 14, "54": 8, "55": 1.5,
    "58": 20, "59": 8, "60": 3, "61": 5, "62": 25, "63": 3, "66": 1, "67": 25, "68": 2, "69": 8, "70": 18,
    "71": 8, "73": 10, "74": 20, "77": 4, "78": 2, "80": 15, "81": 8, "82": 8, "83": 10, "84": 5, "85": 1,
    "86": 2, "87": 8, "88": 12, "89": 4, "90": 3,
    "06": 0.05, "07": 0.05, "08": 0.05, "09": 0.05, "10": 0.05, "11": 0.05, "12": 0.05, "53": 0.05,
}
INDIVIDUAL_DIVISION_WEIGHTS = {
    "52": 45, "62": 25, "80": 8, "81": 6, "51": 5, "72": 3, "54": 2, "82": 2, "61": 1, "84": 1, "83": 1, "65": 1,
}
PARTNERSHIP_DIVISION_WEIGHTS = {"67": 50, "72": 30, "75": 5, "65": 3, "74": 3, "51": 4, "88": 2, "83": 2, "84": 1}
SOLE_DIVISION_WEIGHTS = {
    "72": 25, "51": 20, "52": 10, "65": 8, "75": 8, "88": 5, "74": 5, "87": 4, "80": 5, "62": 4, "81": 3, "83": 3,
}
COOPERATIVE_DIVISION_WEIGHTS = {"01": 60, "02": 10, "03": 10, "04": 15, "05": 5}
JSC_DIVISION_BOOST = {"39": 6, "38": 5, "65": 3, "27": 6, "26": 4, "35": 4, "36": 5, "67": 2, "70": 3, "40": 4, "34": 3}
TECH_DIVISIONS = frozenset({"26", "27", "34", "35", "36", "37", "38", "39", "40", "63", "64", "65", "73", "74", "75"})

# Shops of 个体工商户: the industry wording of their names, by division.
INDIVIDUAL_TERMS = {
    "52": ("便利店", "商行", "士多店", "百货店", "五金店", "服装店", "水果店", "烟酒商行", "副食店", "文具店"),
    "62": ("餐厅", "小吃店", "饭店", "茶餐厅", "面馆", "烧腊店", "奶茶店", "快餐店", "粥店"),
    "80": ("理发店", "美容店", "摄影工作室", "洗衣店", "家政服务部"),
    "81": ("汽车维修部", "手机维修部", "电器维修部", "修理店"),
    "51": ("贸易商行", "批发部"),
    "72": ("广告部", "文印店", "工作室"),
    "54": ("运输部", "货运部"),
    "82": ("服务部", "清洁服务部"),
    "61": ("旅馆", "公寓"),
    "84": ("诊所",),
    "83": ("培训部",),
    "65": ("电脑经营部",),
}
SOLE_SUFFIXES = ("经营部", "服务部", "工作室", "商行", "中心")
ORDINALS = "一二三四五六七八九十"

# Streets (街道) by district code or key; roads are shared.
STREETS = {
    "440303": ("桂园", "黄贝", "东门", "翠竹", "南湖", "笋岗", "东湖", "莲塘", "东晓", "清水河"),
    "440304": ("南园", "园岭", "福田", "沙头", "香蜜湖", "梅林", "莲花", "华富", "福保", "华强北"),
    "440305": ("南头", "南山", "沙河", "蛇口", "招商", "粤海", "桃源", "西丽"),
    "440306": ("新安", "西乡", "航城", "福永", "福海", "沙井", "新桥", "松岗", "燕罗", "石岩"),
    "440307": ("平湖", "坂田", "布吉", "南湾", "横岗", "龙城", "龙岗", "坪地", "吉华", "宝龙", "园山"),
    "440308": ("梅沙", "盐田", "沙头角", "海山"),
    "440309": ("观湖", "民治", "龙华", "大浪", "福城", "观澜"),
    "440310": ("坪山", "马峦", "碧岭", "石井", "坑梓", "龙田"),
    "440311": ("光明", "公明", "新湖", "凤凰", "玉塘", "马田"),
    "dapeng": ("葵涌", "大鹏", "南澳"),
    "shenshan": ("鹅埠", "小漠", "鲘门", "赤石"),
}
ROADS = (
    "建设路", "人民路", "工业路", "创业路", "中心路", "和平路", "兴华路", "前进路", "创新路", "环城路", "振兴路",
    "东环路", "西环路", "南环路", "北环路", "新城大道", "青年路", "文化路", "学府路", "科技路", "商业街", "宝安大道",
    "深南大道", "滨海大道", "沙河路", "高新南路", "科苑路", "布龙路", "梅观路", "松白路",
)
BUILDINGS = ("大厦", "科技园", "产业园", "工业园", "商务中心", "花园", "广场")

# Founding years 1985-2026, most after 2014.
FOUNDING_YEAR_WEIGHTS = (
    [(y, 0.3) for y in range(1985, 1992)] + [(y, 0.8) for y in range(1992, 2000)]
    + [(y, 1.5) for y in range(2000, 2008)] + [(y, 3.0) for y in range(2008, 2014)]
    + [(2014, 5.0), (2015, 6.0), (2016, 7.0), (2017, 7.5), (2018, 8.0), (2019, 8.0), (2020, 8.0),
       (2021, 8.0), (2022, 7.0), (2023, 7.0), (2024, 7.0), (2025, 7.0), (2026, 6.5)]
)
# legal form → share of rows
LEGAL_FORM_WEIGHTS = (
    ("llc", 62.9), ("individual", 22.0), ("branch", 7.0), ("partnership", 3.5), ("sole", 3.0), ("jsc", 1.5),
    ("cooperative", 0.1),
)
CLOSED_STATUSES = (("deregistered", 72), ("revoked", 17), ("moved_out", 4), ("suspended", 3), ("liquidating", 4))
# registered capital in 万元 by legal form
CAPITAL_WAN = {
    "llc": ((1, 3), (3, 3), (5, 5), (10, 20), (20, 5), (30, 5), (50, 12), (100, 20), (200, 6), (300, 5),
            (500, 8), (1000, 6), (2000, 1.5), (3000, 1), (5000, 1), (10000, 0.5), (50000, 0.05)),
    "jsc": ((500, 10), (1000, 20), (2000, 15), (3000, 10), (5000, 15), (10000, 15), (20000, 6), (50000, 4),
            (100000, 1)),
    "partnership": ((10, 5), (100, 20), (500, 15), (1000, 20), (3000, 10), (5000, 8), (10000, 6), (50000, 2)),
    "sole": ((1, 10), (3, 10), (5, 15), (10, 30), (20, 10), (50, 10), (100, 5)),
    "individual": ((1, 30), (2, 20), (3, 20), (5, 20), (10, 10)),
    "cooperative": ((10, 30), (50, 30), (100, 30), (500, 10)),
}
# employees ~ lognormal(mu, sigma); with probability tail_p a Pareto tail from tail_min
EMPLOYEES = {
    "llc": (1.2, 1.15, 0.004, 200), "jsc": (3.8, 1.3, 0.06, 300), "partnership": (0.5, 0.9, 0.0, 0),
    "sole": (0.7, 0.9, 0.0, 0), "individual": (0.3, 0.6, 0.0, 0), "cooperative": (1.5, 0.8, 0.0, 0),
}
# revenue per employee in 万元 by size-standard category (times a lognormal factor, median 0.67)
REVENUE_PER_EMPLOYEE_WAN = {
    "wholesale": 120, "retail": 40, "catering": 15, "accommodation": 20, "software": 40,
    "information_transmission": 60, "industry": 50, "construction": 80, "transport": 40, "warehousing": 40,
    "postal": 25, "real_estate_development": 300, "property_management": 15, "leasing_business": 40,
    "agriculture": 20, "other": 30,
}
