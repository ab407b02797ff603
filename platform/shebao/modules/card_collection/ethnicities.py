"""民族: the ethnic groups of GB/T 3304, by code (what an application stores)."""

from flask_babel import lazy_gettext as _l

ETHNICITIES = {
    "01": _l("Han"),
    "02": _l("Mongol"),
    "03": _l("Hui"),
    "04": _l("Tibetan"),
    "05": _l("Uyghur"),
    "06": _l("Miao"),
    "07": _l("Yi"),
    "08": _l("Zhuang"),
    "09": _l("Buyei"),
    "10": _l("Korean"),
    "11": _l("Manchu"),
    "12": _l("Dong"),
    "13": _l("Yao"),
    "14": _l("Bai"),
    "15": _l("Tujia"),
    "16": _l("Hani"),
    "17": _l("Kazakh"),
    "18": _l("Dai"),
    "19": _l("Li"),
    "20": _l("Lisu"),
    "21": _l("Va"),
    "22": _l("She"),
    "23": _l("Gaoshan"),
    "24": _l("Lahu"),
    "25": _l("Sui"),
    "26": _l("Dongxiang"),
    "27": _l("Nakhi"),
    "28": _l("Jingpo"),
    "29": _l("Kyrgyz"),
    "30": _l("Tu"),
    "31": _l("Daur"),
    "32": _l("Mulao"),
    "33": _l("Qiang"),
    "34": _l("Blang"),
    "35": _l("Salar"),
    "36": _l("Maonan"),
    "37": _l("Gelao"),
    "38": _l("Xibe"),
    "39": _l("Achang"),
    "40": _l("Pumi"),
    "41": _l("Tajik"),
    "42": _l("Nu"),
    "43": _l("Uzbek"),
    "44": _l("Russian"),
    "45": _l("Evenki"),
    "46": _l("De'ang"),
    "47": _l("Bonan"),
    "48": _l("Yugur"),
    "49": _l("Gin"),
    "50": _l("Tatar"),
    "51": _l("Derung"),
    "52": _l("Oroqen"),
    "53": _l("Hezhen"),
    "54": _l("Monpa"),
    "55": _l("Lhoba"),
    "56": _l("Jino"),
    "97": _l("Other ethnic group"),
}

#: The Chinese names, for the translation catalogue (msgid → zh_CN).
ZH = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 "
    "哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 "
    "柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 "
    "塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 "
    "鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 其他民族"
).split()
