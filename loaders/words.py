"""What a load says (a quarantined row's reason, a value left out, a note on how a file was read, a warning) in
Chinese, for the faces a data officer reads: the ``graphkit load`` console and notebook 01's quarantine table. The
report and the quarantine file keep the loader's own words (they are read by scripts and compared between loads);
only what a reader sees is worded here.

Each rule is a pattern the whole text matches and the Chinese words, the pattern's groups filled in; a text no
rule knows is said as it is. A reason that names several clauses (``…; an Excel date serial? …``) is said clause by
clause.

Example
-------
>>> load_zh("required value is missing"), load_zh("duplicate of line 212")
('必填值缺失', '与第 212 行重复')
>>> load_zh("not a date-time (2024-13-01 08:00:00); expected Y-m-d H:M:S")
'不是日期时间（2024-13-01 08:00:00）；应为 年-月-日 时:分:秒'
"""

from __future__ import annotations

import re

from graphkit.model.words import by_rule, os_error_zh

__all__ = ["LOAD_ZH", "FTM_ZH", "REFUSED_ZH", "load_zh", "bids_refusal_zh"]

_WHAT_ZH = {"date-time": "日期时间", "date": "日期", "month": "月份"}
_EXPECTED_ZH = {"Y-m-d H:M:S": "年-月-日 时:分:秒", "Y-m-d": "年-月-日", "Y-m (2024-03)": "年-月（2024-03）"}
_EXCEL_SERIAL = "; an Excel date serial? format the column as dates in the workbook and save again"
#: how to fix an identifier column that went through a number (loaders.read: EXCEL_TEXT_HINT, NUMBER_TEXT_HINT), as
#: patterns, and in Chinese
_EXCEL_HINT = re.escape(
    "re-export the column as text from the source system, or set the column's format to Text in Excel before the "
    "numbers are typed or pasted: the lost digits are not in this file"
)
_EXCEL_HINT_ZH = (
    "请从源系统把该列按文本重新导出，或在 Excel 中先把该列的格式设为“文本”再录入或粘贴号码：丢失的位数不在本文件中"
)
_NUMBER_HINT = re.escape(
    "write the column as text in the program that made the file: the lost digits are not in this file"
)
_NUMBER_HINT_ZH = "请在生成该文件的程序中把该列写成文本：丢失的位数不在本文件中"

#: what Python's JSON reader says of a malformed line (an FtM file's), in Chinese (:data:`FTM_ZH`)
_JSON_ZH = {
    "Expecting value": "缺少值",
    "Extra data": "值后面还有多余的内容",
    "Expecting property name enclosed in double quotes": "属性名须用双引号括起",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Unterminated string starting at": "字符串没有结束引号",
    "Invalid control character at": "含有无效的控制字符",
    "Invalid \\escape": "无效的转义符",
}
#: what FtM files' entities say when one is refused or a value of one left out (loaders.ftm), in Chinese; the FtM
#: schema and property names (Person, Ownership.asset) are what the file holds and stay as they are
FTM_ZH: list[tuple[str, str]] = [
    (r"not UTF-8: (?P<why>.*)", "不是 UTF-8 编码：{why}"),
    (r"malformed JSON at column (?P<c>\d+): (?P<msg>.*)", "JSON 格式有误（第 {c} 列）：{msg}"),
    (r"line is JSON but not an object", "该行是 JSON，但不是一个实体对象（{{…}}）"),
    (r"entity has no id", "实体没有 id"),
    (r"FtM has no schema (?P<s>.*)", "FtM 中没有名为 {s} 的 schema（实体类型）"),
    (r"properties are not an object", "properties 不是对象（{{…}}）"),
    (r"a reverse \(stub\) property of FtM schema (?P<s>\S+)", "是 FtM schema {s} 的反向（stub）属性，不读取"),
    (r"not a property of FtM schema (?P<s>\S+)", "不是 FtM schema {s} 的属性"),
    (r"not a valid FtM (?P<t>\S+) \((?P<p>[^)]*)\)", "不是有效的 FtM {t} 值（{p}）"),
    (
        r"id (?P<id>\S+) is a (?P<a>\S+) on (?P<l>line \d+) of (?P<f>.+); FtM cannot merge it with a (?P<b>\S+)",
        "编号 {id} 在 {f} {l}是 {a}；FtM 不能把它与 {b} 合并",
    ),
    (r"not a number \((?P<p>[^)]*)\); kept in ftm_properties", "不是数字（{p}）；原值保留在 ftm_properties 中"),
    (r"(?P<s>\S+) has no (?P<p>\S+): FtM requires it", "{s} 缺少 {p}：FtM 要求必须有"),
    (r"(?P<s>\S+) has no (?P<p>\S+): FtM and the model need one", "{s} 缺少 {p}：FtM 和图模型都要求必须有"),
    (r"(?P<s>\S+) has no (?P<p>\S+): the model needs one", "{s} 缺少 {p}：图模型要求必须有"),
    (r"refers to (?P<e>.+), which is a relationship, not a node", "指向 {e}，它是关系，不是节点"),
    (r"refers to (?P<e>.+), which was quarantined \((?P<at>.*)\)", "指向 {e}，它已被隔离（{at}）"),
    (r"refers to (?P<e>.+), which is neither in the files? nor in the store", "指向 {e}，但文件中和库中都没有它"),
    (
        r"refers to (?P<e>.+), a (?P<l>\S+): no relationship of the model joins (?P<a>\S+) → (?P<b>\S+)",
        "指向 {e}（{l}）：图模型中没有连接 {a} → {b} 的关系",
    ),
    (
        r"(?P<p>\S+) names the link's own other end: a (?P<what>.+) link joins two different entities, not one to "
        r"itself",
        "{p} 指向该关系自己的另一端：{what} 关系连接两个不同的实体，不能连到自身",
    ),
    # a note on how an FtM file was read (loaders.report.FileReport.notes)
    (
        r"(?P<f>.+?): read as a JSON array: rows are element numbers",
        "{f}：按 JSON 数组读取，行号为数组中元素的序号",
    ),
    (
        r"(?P<f>.+?): read as one JSON object over several lines: row 1",
        "{f}：按一个跨多行的 JSON 对象读取，行号为 1",
    ),
    (
        r"(?P<f>.+?): read as FtM entities by what it holds \(objects with schema and properties\); its name does "
        r"not say so: name it (?P<n>.+?) to say so",
        "{f}：按其内容（含 schema 和 properties 的对象）读作 FtM 实体；文件名未表明这一点：可改名为 {n}",
    ),
    (
        r"(?P<f>.+?): read as FtM statements CSV: rows are the line of each entity's first statement",
        "{f}：按 FtM statements CSV 读取，行号为每个实体第一条 statement 所在的行",
    ),
    (
        r"(?P<f>.+?): (?P<n>[\d,]+) entit(?:y|ies) already in the store (?:was|were) left as stored \((?P<w>.*); "
        r"graphkit does not update stored entities: load a newer release into a new store\)",
        "{f}：{n} 个实体已在库中，保持原样（{w}；graphkit 不更新库中已有的实体：新版本请加载到新库）",
    ),
    (
        r"(?P<f>.+?): (?P<n>[\d,]+) row\(s\) name an entity already in the store under another name \((?P<w>.*)\): "
        r"the stored name was kept \(graphkit does not update stored entities: check which register is right\)",
        "{f}：{n} 行所指的实体已以另一名称存于库中（{w}）：保留库中的名称（graphkit 不更新库中已有的实体："
        "请核对哪份登记是对的）",
    ),
    # an FtM file refused as a whole (loaders.ftm, loaders.engine)
    (
        r"(?P<f>.+?): binary data, not FtM entities \(.*\)",
        "{f}：是二进制数据，不是 FtM 实体（FtM 文件是 JSON 行、JSON 实体数组或 FtM statements CSV）",
    ),
    (
        r"(?P<f>.+?): a JSON array that is not valid JSON \((?P<msg>.*) at line (?P<l>\d+), column (?P<c>\d+)\); "
        r"FtM files hold .*",
        "{f}：JSON 数组不是有效的 JSON（第 {l} 行第 {c} 列：{msg}）；FtM 文件是 JSON 行、JSON 实体数组或 FtM "
        "statements CSV",
    ),
    (r"cannot read FtM file (?P<f>.+): a folder", "无法读取 FtM 文件 {f}：它是文件夹"),
    (r"cannot read FtM file (?P<f>.+): no such file", "无法读取 FtM 文件 {f}：没有这个文件"),
    (
        r"cannot read FtM file (?P<f>.+): its gzip data ends early \(a download or copy cut short\)",
        "无法读取 FtM 文件 {f}：gzip 压缩数据不完整（下载或复制中途被截断）",
    ),
    (r"cannot read FtM file (?P<f>.+?): (?P<why>.+)", "无法读取 FtM 文件 {f}：{why}"),
    (
        r"FtM files \((?P<n>.+)\) cannot go into a neo4j-admin import folder: FtM needs a store to resolve "
        r"references; import the tables, start Neo4j, then load the FtM files into it(?P<cmd>.*)",
        "FtM 文件（{n}）不能写入 neo4j-admin 导入文件夹：FtM 要在库中解析引用；请先导入各表、启动 Neo4j，再把 FtM "
        "文件加载进去{cmd}",
    ),
]

#: a load refused whole (loaders.engine, loaders.read) or a file or header mapping on the command line refused
#: (``graphkit load --as``, ``--column``: loaders.contracts), in Chinese; the source tables' and columns' names are
#: what the reader types and stay as they are
REFUSED_ZH: list[tuple[str, str]] = [
    (
        r"(?P<f>.+?): header (?P<a>'[^']*') \(column (?P<i>\d+)\) and header (?P<b>'[^']*') \(column (?P<j>\d+)\) are "
        r"the same: keep one of them",
        "{f}：第 {i} 列和第 {j} 列的表头都是 {a}：只保留其中一列",
    ),
    (
        r"(?P<f>.+?): header (?P<a>'[^']*') \(column (?P<i>\d+)\) and header (?P<b>'[^']*') \(column (?P<j>\d+)\) both "
        r"name column (?P<c>'[^']*'): keep one of them",
        "{f}：第 {i} 列的表头 {a} 和第 {j} 列的表头 {b} 都读作 {c} 列：只保留其中一列",
    ),
    (
        r"(?P<f>.+?): nothing to load \(tables (?P<k>.+?) named after a source table or with its headers, or FtM "
        r"entities\): it holds no files; .*",
        "{f}：没有可加载的文件（须是以来源表命名或带其表头的表格 {k}，或 FtM 实体文件）：文件夹是空的；请按来源表给"
        "表格命名（household.csv、roster_2024.xlsx …：`graphkit model docs` 列出各表及其表头），或说明它是哪张表"
        "（--as roster=文件）",
    ),
    (
        r"(?P<f>.+?): nothing to load \(tables (?P<k>.+?) named after a source table or with its headers, or FtM "
        r"entities\): it holds (?P<held>.+); name a table after its source \(.*\) or say which it is \(--as "
        r"roster=FILE\)",
        "{f}：没有可加载的文件（须是以来源表命名或带其表头的表格 {k}，或 FtM 实体文件）：其中有 {held}；请按来源表给"
        "表格命名（household.csv、roster_2024.xlsx …：`graphkit model docs` 列出各表及其表头），或说明它是哪张表"
        "（--as roster=文件）",
    ),
    (r"the load failed \((?P<e>.*)\); the store is left as it was", "加载失败（{e}）；库保持原样"),
    # a file the readers cannot open (loaders.read): a damaged workbook, a web page or an XML sheet under an Excel
    # name, a sheet not there, what the system said of the file
    (
        r"(?P<f>.+?): cannot read the file \((?:BadZipFile|ZipError): .*\)",
        "{f}：不是完好的 Excel 工作簿（文件已损坏或不完整，打不开）：请在 Excel 或 WPS 中打开后另存为 .xlsx，"
        "或重新导出",
    ),
    (r"(?P<f>.+?): cannot read the file \(\w+: (?P<why>\[Errno \d+\] .+)\)", "{f}：无法读取该文件（{why}）"),
    (
        r"(?P<f>.+?): cannot read the file \((?P<t>\w+): (?P<why>.*)\)",
        "{f}：无法读取该文件（文件已损坏，或不是其后缀所说的格式：请在 Excel 或 WPS 中打开后另存为 .xlsx 或 CSV）；"
        "读取程序的原话：{t}: {why}",
    ),
    (
        r"(?P<f>.+?): a web page \(an HTML table\) saved under an Excel name, not a workbook: .*",
        "{f}：这是以 Excel 文件名保存的网页（HTML 表格），不是工作簿：请在 Excel 或 WPS 中打开，另存为 .xlsx（或 "
        "CSV）后再加载",
    ),
    (
        r"(?P<f>.+?): an XML Spreadsheet 2003, not a workbook: .*",
        "{f}：这是 XML 电子表格 2003 格式，不是工作簿：请在 Excel 或 WPS 中打开，另存为 .xlsx 后再加载",
    ),
    (r"(?P<f>.+?): no sheet (?P<s>.+?) \(the workbook has (?P<all>.+)\)", "{f}：没有工作表 {s}（工作簿中有：{all}）"),
    (r"(?P<f>.+?): unknown encoding (?P<e>'[^']*')", "{f}：未知的编码 {e}（写 gb18030、utf-8 等，或不给 --encoding）"),
    (
        r"(?:(?P<g>--\S+ .+?): )?no source table (?P<n>'[^']*'); the source tables are (?P<all>.+)",
        "{g}：没有来源表 {n}；来源表有：{all}",
    ),
    (
        r"the (?P<s>\S+) table has no column (?P<f>'[^']*') \(for header (?P<h>'[^']*')\); its columns are (?P<c>.+)",
        "{s} 表没有 {f} 列（表头 {h} 要读作的列）；它的列有：{c}",
    ),
    (
        r"--column (?P<spec>'[^']*'): write SOURCE\.HEADER=FIELD \((?P<e>.+)\)",
        "--column {spec}：请写作 来源表.表头=列名（如 {e}）",
    ),
    (
        r"--column (?P<spec>'[^']*'): header (?P<h>'[^']*') of (?P<s>\S+) is mapped twice",
        "--column {spec}：{s} 表的表头 {h} 被映射了两次",
    ),
]

#: (pattern matching a whole text, its Chinese with the pattern's groups)
LOAD_ZH: list[tuple[str, str]] = [
    # a row's reason (loaders.validate, loaders.engine, graphkit.model.types)
    (r"required value is missing", "必填值缺失"),
    (r"duplicate of (?:line|row) (?P<n>\d+)", "与第 {n} 行重复"),
    (r"ID number (?P<v>'[^']*') has a wrong check digit", "身份号码 {v} 校验位不对"),
    (
        r"ID number (?P<v>'[^']*') is not 18 characters of digits \(last may be X\)",
        "身份号码 {v} 不是 18 位数字（末位可为 X）",
    ),
    (r"ID number (?P<v>'[^']*') has an impossible birth date", "身份号码 {v} 中的出生日期不存在"),
    (
        r"credit code (?P<v>'[^']*') has check character (?P<c>\S), expected (?P<e>\S)",
        "统一社会信用代码 {v} 的校验位是 {c}，应为 {e}",
    ),
    (
        r"credit code (?P<v>'[^']*') is not 18 characters of 0-9A-Z \(without I O Z S V\)",
        "统一社会信用代码 {v} 不是 18 位（0-9、A-Z，不含 I O Z S V）",
    ),
    (r"plate (?P<v>'[^']*') is not a Chinese plate \([^)]*\)", "号牌 {v} 不是我国号牌的写法（如 苏E·12345）"),
    (r"phone (?P<v>'[^']*') holds (?P<n>\d+) numbers: one phone per cell", "电话 {v} 含 {n} 个号码：一格只写一个电话"),
    (r"phone (?P<v>'[^']*') has characters other than digits and separators", "电话 {v} 含数字和分隔符以外的字符"),
    (
        r"phone (?P<v>'[^']*') is neither an 11-digit mobile nor a landline with area code \(a landline whose "
        r"leading 0 was lost\? A spreadsheet keeps a number, not its zeros\)",
        "电话 {v} 既不是 11 位手机号，也不是带区号的固话（丢了开头 0 的固话？表格只存数，不存前导 0）",
    ),
    (
        r"phone (?P<v>'[^']*') is neither an 11-digit mobile nor a landline with area code \(a local number "
        r"without its area code\?\)",
        "电话 {v} 既不是 11 位手机号，也不是带区号的固话（缺区号的本地号码？）",
    ),
    (
        r"phone (?P<v>'[^']*') is neither an 11-digit mobile nor a landline with area code",
        "电话 {v} 既不是 11 位手机号，也不是带区号的固话",
    ),
    # a line of a text file that is no record (loaders.read), as the bid reader says it (graphkit.collusion.words)
    (
        r"unbalanced quote: a quoted value is never closed on its line \(the next line is a record of its own\)",
        "引号不成对：某个加引号的值在本行没有闭合（下一行是单独的一条记录）",
    ),
    (
        r"unbalanced quote: a quoted value is never closed on its line \(joined with the next (?P<k>\d+) it holds "
        r"(?P<n>\d+) fields, not (?P<h>\d+)\)",
        "引号不成对：某个加引号的值在本行没有闭合（与其后 {k} 行连起来有 {n} 个字段，而不是 {h} 个）",
    ),
    (r"unbalanced quote: a quoted value is never closed", "引号不成对：某个加引号的值没有闭合"),
    (
        r"badly quoted field: a quote inside a quoted value is not doubled \(\"\" for one\), so text follows the "
        r"quote that closes it",
        '字段的引号有误：带引号的值里的引号没有双写（一个引号应写作 ""），收尾的引号后面还跟着文字',
    ),
    (r"badly quoted field \((?P<e>.*)\)", "字段的引号有误（{e}）"),
    (
        r"undecodable bytes? (?P<b>.+?): not (?P<e>\S+) text \(at character (?P<c>\d+) of the line\)",
        "无法解码的字节 {b}：不是 {e} 编码的文本（在该行第 {c} 个字符处）",
    ),
    (r"(?P<n>\d+) fields? where the header has (?P<h>\d+)", "有 {n} 个字段，而表头有 {h} 个"),
    (
        r"with line (?P<l>\d+) it makes one record \(a line break inside a value that was not quoted: quote the "
        r"value, or join the two lines\)",
        "与第 {l} 行合起来才是一条记录（某个值里有换行却没加引号：请给该值加引号，或把两行合成一行）",
    ),
    (
        r"field of (?P<n>[\d,]+) bytes, longer than the (?P<m>[\d,]+) bytes a field may hold",
        "字段长 {n} 字节，超过一个字段最多可有的 {m} 字节",
    ),
    # an identifier that went through a number (loaders.read: EXCEL_DIGITS_LOST, ROUNDED_ZEROS, ROUNDED_FLOAT), each
    # ending with how to fix the column (EXCEL_TEXT_HINT, NUMBER_TEXT_HINT)
    (
        r"identifier stored as a number in Excel: digits lost \(" + _EXCEL_HINT + r"\)",
        "标识号在 Excel 中存成了数字：后几位已丢失（" + _EXCEL_HINT_ZH + "）",
    ),
    (
        r"identifier stored as a number: digits lost \(" + _NUMBER_HINT + r"\)",
        "标识号存成了数字：后几位已丢失（" + _NUMBER_HINT_ZH + "）",
    ),
    (
        r"identifier stored as a number in Excel: digits lost \((?P<k>[\d,]+) of the column's (?P<n>[\d,]+) "
        r"numbers of 16-19 digits end in 000, Excel's 15 significant digits; " + _EXCEL_HINT + r"\)",
        "标识号在 Excel 中存成了数字：后几位已丢失（该列 {n} 个 16–19 位的数中有 {k} 个以 000 结尾，"
        "Excel 只保留 15 位有效数字；" + _EXCEL_HINT_ZH + "）",
    ),
    (
        r"identifier stored as a number: digits lost \((?P<k>[\d,]+) of the column's (?P<n>[\d,]+) numbers of "
        r"17-19 digits are a binary float's value, as a real column's few are; " + _NUMBER_HINT + r"\)",
        "标识号存成过数字：后几位已丢失（该列 {n} 个 17–19 位的数中有 {k} 个恰是二进制浮点数的值，真实的列极少如此；"
        + _NUMBER_HINT_ZH
        + "）",
    ),
    (
        r"month stored as a number in Excel: (?P<v>\S+) reads as (?P<a>\S+) and as (?P<b>\S+), not guessed",
        "月份在 Excel 中存成了数字：{v} 可读作 {a}，也可读作 {b}，不作猜测",
    ),
    (r"date out of range 1900-2100", "日期超出 1900–2100 年"),
    (r"month out of range 1900-2100", "月份超出 1900–2100 年"),
    (
        r"not a number: (?P<v>.*) \(Chinese numerals that read as no one amount: not guessed; write it in digits\)",
        "不是数字：{v}（中文数字读不成一个确定的金额：不作猜测；请用阿拉伯数字填写）",
    ),
    (r"not a number: (?P<v>.*)", "不是数字：{v}"),
    (
        r"(?P<v>#+) is what Excel shows of a number or a date too wide for its column, and the file was saved as "
        r"shown: its value is lost; widen the column in the workbook and save again",
        "{v} 是 Excel 在列宽不够时对数字或日期的显示，文件按显示保存：其值已丢失；请在工作簿中加宽该列后重新保存",
    ),
    (
        r"Excel formula error (?P<v>\S+): the formula that filled this cell failed, so the file holds no value here; "
        r"correct it in the workbook and save again",
        "Excel 公式错误（{v}）：填写该单元格的公式出错，文件中此处没有值；请在工作簿中改正后重新保存",
    ),
    (
        r"(?P<v>\S+) reads two ways in a column that also writes percentages above 1 \(such as (?P<e>[^)]*)\): "
        r"(?P<a>\S+) % or, as a fraction of one, (?P<b>\S+) %; not guessed",
        "{v} 有两种读法（该列也写有大于 1 的百分数，如 {e}）：{a}%，或按小数读作 {b}%；不作猜测",
    ),
    (
        r"(?P<v>.+?): (?P<d>\d{4}-\d{2}-\d{2}) is a \w+ \((?P<z>星期.)\), not the (?P<x>星期.) written beside it: the "
        r"date or the weekday is wrong, not guessed",
        "{v}：{d} 是{z}，不是旁边写的{x}：日期或星期写错了，不作猜测",
    ),
    (r"not a finite number: (?P<v>.*)", "不是有限的数：{v}"),
    (
        r"a formula with no value saved \(a workbook written by a program and never calculated\): open it in Excel "
        r"or WPS and save it again",
        "公式没有保存计算结果（由程序生成、从未计算过的工作簿）：请用 Excel 或 WPS 打开后重新保存",
    ),
    (
        r"number in scientific form \((?P<v>[^)]*)\), as Excel shows a number too wide for its column: its other "
        r"digits are lost; widen the column \(or format it as a number\) in the workbook and save again",
        "科学计数法写的数（{v}）：Excel 在列宽不够时这样显示，其余数位已丢失；"
        "请在工作簿中加宽该列（或设为数值格式）后重新保存",
    ),
    (r"not a whole number: (?P<v>.*)", "不是整数：{v}"),
    (r"negative amount (?P<v>.*)", "金额为负：{v}"),
    (r"above the maximum (?P<m>[^:]+): (?P<v>.*)", "超过上限 {m}：{v}"),
    (r"totals row \((?P<w>.*)\), not a record", "合计行（{w}），不是记录"),
    (r"notes row \((?P<w>.*)\), not a record", "表尾注释行（{w}），不是记录"),
    (r"the header written again, not a record", "重复的表头，不是记录"),
    (r"the title written again, not a record", "重复的标题，不是记录"),
    (r"a title line above the header written again, not a record", "重复表头上方的标题行，不是记录"),
    (
        r"(?P<d>\S+) (?P<dv>\S+) is not the birth date in (?P<i>\S+) (?P<v>'[^']*') \((?P<h>[^)]*)\): one of the two "
        r"is mistyped \(the 15-digit number has no check digit: check both\)",
        "{d} {dv} 与{i} {v} 中的出生日期（{h}）不符：二者必有一处写错（15 位号码没有校验位：两处都要核对）",
    ),
    (
        r"(?P<d>\S+) (?P<dv>\S+) is not the birth date in (?P<i>\S+) (?P<v>'[^']*') \((?P<h>[^)]*)\): one of the two "
        r"is mistyped \(the number's check digit holds: the date is the likelier typo\)",
        "{d} {dv} 与{i} {v} 中的出生日期（{h}）不符：二者必有一处写错（号码校验位无误：更可能是日期写错）",
    ),
    (
        r"(?P<d>\S+) (?P<dv>\S+) is not the sex in (?P<i>\S+) (?P<v>'[^']*') \(its (?P<k>\d+)th digit (?P<g>\d) is "
        r"(?P<h>\S)\): one of the two is mistyped \(the 15-digit number has no check digit: check both\)",
        "{d} {dv} 与{i} {v} 中的性别（第 {k} 位 {g}：{h}）不符：二者必有一处写错（15 位号码没有校验位：两处都要核对）",
    ),
    (
        r"(?P<d>\S+) (?P<dv>\S+) is not the sex in (?P<i>\S+) (?P<v>'[^']*') \(its (?P<k>\d+)th digit (?P<g>\d) is "
        r"(?P<h>\S)\): one of the two is mistyped \(the number's check digit holds: the \S+ is the likelier typo\)",
        "{d} {dv} 与{i} {v} 中的性别（第 {k} 位 {g}：{h}）不符：二者必有一处写错（号码校验位无误：更可能是{d}写错）",
    ),
    # a note on how a file was read (loaders.report.FileReport.notes)
    (r"(?P<f>.+?): title above the header skipped \((?P<t>.*)\)", "{f}：已跳过表头上方的标题（{t}）"),
    (
        r"(?P<f>.+?): decimal comma read in (?P<c>.+) \(a ';' file from a spreadsheet set to a European locale: "
        r"1\.234,50 is 1234\.50\)",
        "{f}：{c}按小数逗号读取（分号分隔的文件，来自设为欧洲区域格式的电子表格：1.234,50 即 1234.50）",
    ),
    (r"(?P<f>.+?): columns separated by (?P<s>.+)", "{f}：列以 {s} 分隔"),
    (
        r"(?P<f>.+?): read as the (?P<s>\S+) table by its headers \(.*\)",
        "{f}：按表头读作 {s} 表（文件名与任何表都不对应；命名为 {s}_….csv 即可说明）",
    ),
    (r"(?P<f>.+?): read as the (?P<s>\S+) table \((?P<how>.*)\)", "{f}：读作 {s} 表（{how}）"),
    (r"(?P<f>.+?): header\(s\) read as mapped \(--column\): (?P<m>.*)", "{f}：按 --column 的映射读表头：{m}"),
    (
        r"(?P<f>.+?): (?P<n>[\d,]+) numbered row\(s\) with nothing else \(a template's empty lines\) left out as "
        r"blank rows",
        "{f}：{n} 行只有序号、别无内容（模板的空行），按空行略过",
    ),
    (
        r"(?P<f>.+?): (?P<n>[\d,]+) cell\(s\) saying \"no value\" \(无, 暂无, 不详, -, /, NULL\) read as empty: "
        r"(?P<w>.*)",
        "{f}：{n} 个写着“无值”（无、暂无、不详、-、/、NULL）的单元格按空值读：{w}",
    ),
    (
        r"(?P<f>.+?): (?P<n>[\d,]+) cell\(s\) held characters that show as nothing \(a zero-width space, U\+200B …\) "
        r"taken out: (?P<w>.*)",
        "{f}：{n} 个单元格含不可见字符（零宽空格 U+200B 等），已去除：{w}",
    ),
    (
        r"(?P<f>.+?): (?P<n>[\d,]+) time\(s\) written in another time zone \(…Z, \+00:00\) read in Beijing time "
        r"\(UTC\+8\): (?P<w>.*)",
        "{f}：{n} 个以其他时区写的时间（…Z、+00:00）已换算为北京时间（UTC+8）：{w}",
    ),
    (
        r"(?P<f>.+?): header read from two rows \((?P<span>.*)\) as (?P<names>.*)",
        "{f}：表头由两行（{span}）合成：{names}",
    ),
    (
        r"(?P<f>.+?): (?P<n>[\d,]+) merged cell range\(s\) filled: each row takes the value",
        "{f}：已填充 {n} 处合并单元格：每行取该值",
    ),
    (
        r"(?P<f>.+?): column\(s\) not read \(the (?P<s>\S+) contract has none of them\): (?P<c>.*)",
        "{f}：未读取的列（{s} 表的约定中没有）：{c}",
    ),
    (r"(?P<f>.+?): no column (?P<c>.+): nothing loaded for it", "{f}：没有 {c} 列：该项未加载"),
    (
        r"(?P<f>.+?): (?P<n>[\d,]+) row\(s\) hidden in Excel were read as every other row \((?P<l>.*)\): unhide "
        r"them to see every row the file holds",
        "{f}：Excel 中隐藏的 {n} 行照常读取（{l}）：取消隐藏即可看到文件的每一行",
    ),
    (
        r"(?P<f>.+?): (?P<n>[\d,]+) row\(s\) filtered out or hidden in Excel were read as every other row "
        r"\((?P<l>.*)\); the sheet has a filter set \(筛选\): clear it to see every row the file holds",
        "{f}：Excel 中被筛选掉或隐藏的 {n} 行照常读取（{l}）；该表设有筛选：清除筛选即可看到文件的每一行",
    ),
    (
        r"(?P<f>.+?): (?P<h>.+?) read as fractions of one \((?P<n>[\d,]+) value\(s\): 0\.6 is 60 %\), no value in "
        r"the column being above 1",
        "{f}：{h} 按小数读取（{n} 个值：0.6 即 60%），该列没有大于 1 的值",
    ),
    (
        r"(?P<f>.+?): column\(s\) hidden in Excel were read as every other column: (?P<c>.*)",
        "{f}：Excel 中隐藏的列照常读取：{c}",
    ),
    # the sheets of a workbook left out (loaders.read.sheet_parts), said on the console as warnings
    (
        r"(?P<f>.+?): only its first sheet (?P<s>'[^']*') was read; (?P<n>\d+) other sheet\(s\) hold rows and were "
        r"not: (?P<l>.*) \(save each sheet as its own file to read it\)",
        "{f}：只读取了第一个工作表 {s}；另有 {n} 个工作表有数据行，未读取：{l}（请把每个工作表另存为单独的文件再加载）",
    ),
    (
        r"(?P<f>.+?): (?P<n>\d+) sheet\(s\) hold rows under other columns than sheet (?P<s>'[^']*') and were not "
        r"read: (?P<l>.*) \(save each as its own file\)",
        "{f}：{n} 个工作表的列与工作表 {s} 不同，其数据行未读取：{l}（请把每个工作表另存为单独的文件）",
    ),
    (
        r"(?P<f>.+?): sheet (?P<s>'[^']*') is hidden and was not read \((?P<n>[\d,]+) rows?\); unhide it to load it",
        "{f}：工作表 {s} 已隐藏，未读取（{n} 行）；取消隐藏即可加载",
    ),
    (
        r"(?P<f>.+?): sheet (?P<s>'[^']*') is hidden and was not read \((?P<n>[\d,]+) rows?\); it holds other "
        r"columns than sheet (?P<r>'[^']*')",
        "{f}：工作表 {s} 已隐藏，未读取（{n} 行）；其列与工作表 {r} 不同",
    ),
    (r"(?P<f>.+?): the (?P<t>\S+) table has a header but no data rows", "{f}：{t} 表只有表头，没有数据行"),
    (
        r"(?P<f>.+?): (?P<n>[\d,]+) cell\(s\) written as text for Excel \(=\"…\" or '…\) read as their value: "
        r"(?P<w>.*)",
        '{f}：{n} 个为 Excel 写成文本的单元格（="…" 或 \'…）按其值读取：{w}',
    ),
    (r"(?P<f>.+?): sheet\(s\) of instructions not read as records: (?P<s>.*)", "{f}：说明类工作表不作为记录读取：{s}"),
    (
        r"(?P<f>.+?): read as exports joined in two encodings: (?P<o>\S+) from line\(s\) (?P<l>[\d, ]+) \(the "
        r"header written again[^)]*\), (?P<e>\S+) before",
        "{f}：两份不同编码的导出拼在一起：第 {l} 行起为 {o}（表头在此重写），之前为 {e}",
    ),
    (
        r"(?P<f>.+?): (?P<n>[\d,]+) NUL byte\(s\) padding the end of the file left out \(no row\)",
        "{f}：文件末尾用于填充的 {n} 个 NUL 字节已略去（不是记录）",
    ),
    # a warning about a file
    (
        r"(?P<f>.+?): (?P<d>\S+) is not the birth date the row's (?P<i>\S+) holds in (?P<n>[\d,]+) row\(s\) "
        r"\((?P<l>.*)\): the date left out, one of the two mistyped: correct the file",
        "{f}：{n} 行的{d}与{i}中的出生日期不符（{l}）：日期未加载，二者必有一处写错，请更正文件",
    ),
    (
        r"(?P<f>.+?): (?P<d>\S+) is not the sex the row's (?P<i>\S+) holds in (?P<n>[\d,]+) row\(s\) "
        r"\((?P<l>.*)\): the value left out, one of the two mistyped: correct the file",
        "{f}：{n} 行的{d}与{i}中的性别（第 17 位：单数为男，双数为女）不符（{l}）：{d}未加载，二者必有一处写错，"
        "请更正文件",
    ),
    # a load refused, clause by clause (loaders.engine)
    (r"(?P<f>.+?): no such file", "{f}：没有这个文件"),
    (r"(?P<f>.+?): no such FtM file", "{f}：没有这个 FtM 文件"),
    (r"(?P<f>.+?): not a folder", "{f}：不是文件夹"),
    (
        r"(?P<f>.+?): required column '(?P<c>[^']+)' \((?P<z>[^)]*)\) is missing \(and (?P<m>[^)]*)\)",
        "{f}：缺少必需的列 {c}（{z}），以及 {m}",
    ),
    (r"(?P<f>.+?): required column '(?P<c>[^']+)' \((?P<z>[^)]*)\) is missing", "{f}：缺少必需的列 {c}（{z}）"),
    (
        r"the file has no header line: its first line is a record \(it holds (?P<v>[^)]*)\)",
        "文件没有表头行：第一行就是一条记录（含 {v}）",
    ),
    (
        r"write the (?P<s>\w+) table's header above it \(graphkit model docs lists it\)",
        "请在其上方加一行 {s} 表的表头（graphkit model docs 列出该表头）",
    ),
    (
        r"its header is separated by full-width commas \(，\), which a CSV is not split at: replace them with "
        r"commas \(,\) and save the file again",
        "表头用全角逗号（，）分隔，CSV 不按全角逗号分列：请换成半角逗号（,）后重新保存",
    ),
    (r"the file has no header", "文件没有表头"),
    (r"the file has (?P<h>.*)", "文件中的列：{h}"),
    (
        r"where one of them holds it, say which: --column (?P<s>\S+)\.HEADER=(?P<f>\S+)",
        "若其中某列就是它，请用 --column {s}.表头={f} 指明（表头写该列的列名）",
    ),
    (
        r"header '(?P<h>[^']*)' names a unit that is not one of (?P<u>.*?): convert its amounts",
        "表头 '{h}' 的单位不在 {u} 之中：请换算金额",
    ),
    # a warning about the folder
    (
        r"(?P<f>.+?): skipped, neither a table \((?P<e>.*)\) nor FtM entities",
        "{f}：已跳过，既不是表格（{e}）也不是 FtM 实体文件",
    ),
]


#: a note counting entities per label or type (:meth:`loaders.report.FileReport.notes`): the counts' part is ``w``
_PER_KIND = (
    r"(?P<head>.+?: [\d,]+ (?:entit(?:y|ies) already in the store (?:was|were) left as stored|row\(s\) name an entity "
    r"already in the store under another name) \()(?P<w>[^;()]*)(?P<tail>(?:; |\): ).*)"
)


def _kinds_zh(which: str) -> str:
    """``89 Address, 2 OWNERSHIP`` (a count per label or relationship type) as the Chinese console names them:
    ``地址 89 个、持股 2 条`` (the model's ``noun`` of a label, ``zh`` of a type); a name the model lacks as it is.

    >>> _kinds_zh("89 Address, 56 Company, 22 Person")
    '地址 89 个、企业 56 个、自然人 22 个'
    """
    from graphkit.model import Model

    model, out = Model.default(), []
    for part in which.split(", "):
        n, _, name = part.partition(" ")
        rel = model.relationships.get(name)
        if name in model.labels:
            out.append(f"{model.noun(name, 'zh')} {n} 个")
        elif rel is not None:
            out.append(f"{rel.zh or name} {n} 条")
        else:
            out.append(part)
    return "、".join(out)


def load_zh(text: str) -> str:
    """A load's reason, note or warning in Chinese (:data:`LOAD_ZH`); one no rule knows as it is.

    >>> load_zh("not a date (45356); expected Y-m-d; an Excel date serial? format the column as dates in the "
    ...         "workbook and save again")
    '不是日期（45356）；应为 年-月-日；是 Excel 的日期序号吗？请在工作簿中把该列设为日期格式后重新保存'
    """
    text = str(text)
    tail = ""
    if text.endswith(_EXCEL_SERIAL):
        text, tail = text[: -len(_EXCEL_SERIAL)], "；是 Excel 的日期序号吗？请在工作簿中把该列设为日期格式后重新保存"
    m = re.fullmatch(r"not a (?P<what>date-time|date|month) \((?P<v>.*)\); expected (?P<e>.+)", text)
    if m and m["e"] in _EXPECTED_ZH:
        return f"不是{_WHAT_ZH[m['what']]}（{m['v']}）；应为 {_EXPECTED_ZH[m['e']]}{tail}"
    m = re.fullmatch(
        r"the load failed \((?P<e>.*)\); what it had written could not be taken back: the store may hold part of it; "
        r"load the same files again once the store answers \(only what is missing is written\)",
        text,
        flags=re.S,
    )
    if m:  # the server went away during the load and its undo: what was committed stays
        from graphkit.model.words import os_error_zh

        return (
            f"加载失败（{os_error_zh(load_zh(m['e']))}）；已写入的部分无法撤回：库中可能留有本次加载的一部分；"
            "请在库恢复应答后重新加载同样的文件（只会写入缺少的部分）"
        )
    m = re.fullmatch(r"the load failed \((?P<e>.*)\); the store is left as it was", text, flags=re.S)
    if m:  # what failed, said in Chinese too (a damaged workbook, a write the store refused)
        from graphkit.model.words import os_error_zh

        return f"加载失败（{os_error_zh(load_zh(m['e']))}）；库保持原样"
    m = re.fullmatch(r"COPY into (?P<t>\w+) failed: (?P<why>.+)", text, flags=re.S)
    if m:  # the embedded store refused a write
        from graphkit.model.words import ladybug_zh

        return f"写入 {m['t']} 失败：{ladybug_zh(m['why'])}"
    m = re.fullmatch(
        r"unknown (?P<l>[A-Z]\w*) (?P<v>.+?)(?: \(not in its source table nor in the store(?:; no \w+ is loaded "
        r"yet: load (?P<m>\w+) first, or with this file)?\)|: its own row, (?P<w>.+), was quarantined \(see there\))",
        text,
    )
    if m:  # a row naming an entity no file and no store holds (loaders.engine), the label as the model names it
        from graphkit.model import Model

        what = Model.default().noun(m["l"], "zh") if m["l"] in Model.default().labels else m["l"]
        where = f"：它自己的那一行（{_lines_zh(m['w'])}）已被隔离（见该行）" if m["w"] else "（其来源表和库中都没有）"
        if m["m"]:  # no entity of the label anywhere yet: the table that makes them, to load first
            from loaders.contracts import load_contracts

            title = load_contracts()[m["m"]].title.split(" ")[0]
            where = f"（其来源表和库中都没有；库中还没有任何{what}：先加载 {m['m']} 表（{title}），或与本表一起加载）"
        return f"未知的{what} {m['v']}{where}"
    m = re.fullmatch(_PER_KIND, text, flags=re.S)
    if m:  # the stored entities counted by the label or type the model names them (89 Address: 地址 89 个)
        text = m["head"] + _kinds_zh(m["w"]) + m["tail"]
    said = _rule(text)
    if said is None and "; " in text:  # a refusal of several clauses (…; the file has …; where one …), each said
        clauses = text.split("; ")
        if _rule(clauses[0]) is not None:
            said = "；".join(_rule(c) or c for c in clauses)
    if said is None:
        return text + (_EXCEL_SERIAL if tail else "")
    said = re.sub(r" ?\((?P<n>[\d,]+) values?\)", r"（\g<n> 个值）", said)  # 金额(元) (3 values): 金额(元)（3 个值）
    return _lines_zh(said) + tail


def bids_refusal_zh(text: str) -> str:
    """A bid file refused whole (:mod:`loaders.bids`: a required column missing, two columns read as one) in Chinese,
    else as :func:`load_zh` says it; the columns' and headers' names as the file and the reader write them.

    >>> said = bids_refusal_zh("b.csv: missing required column 'Bid_value' (a bid table needs Tender, Bid_value; "
    ...                        "found 标段, 金额; headers read: Bid_value as Bid_value or 投标报价 or 报价)")
    >>> for part in said.split("；"):
    ...     print(part)
    b.csv：缺少必需的列 'Bid_value'（报价表需要 Tender, Bid_value
    文件中的列：标段, 金额
    各列可用的表头：Bid_value 可写作 Bid_value、投标报价、报价）
    """
    m = re.fullmatch(
        r"(?P<f>.+?): missing required column (?P<m>.+?) \(a bid table needs (?P<need>.+?); found (?P<found>.*?); "
        r"headers read: (?P<read>.*)\)(?:; its columns seem to be separated by (?P<sep>.+?): save it as "
        r"comma-separated CSV \(or XLSX\))?",
        text,
        flags=re.S,
    )
    if m:
        read = "；".join(
            re.sub(r" as ", " 可写作 ", clause, count=1).replace(" or ", "、") for clause in m["read"].split("; ")
        )
        found = "没有列" if m["found"] == "no columns" else m["found"]
        sep = ""
        if m["sep"]:
            shown = "制表符" if m["sep"] == "tab" else m["sep"]
            sep = f"；各列似乎以 {shown} 分隔：请另存为逗号分隔的 CSV（或 XLSX）"
        return (
            f"{m['f']}：缺少必需的列 {m['m']}（报价表需要 {m['need']}；文件中的列：{found}；各列可用的表头：{read}）"
            + sep
        )
    m = re.fullmatch(r"(?P<f>.+?): (?P<said>.+); keep one of them, or rename the others", text, flags=re.S)
    if m:
        said = "；".join(
            re.sub(
                r"^(?P<cols>.+) are (?:both|all) read as (?P<n>\S+)$",
                lambda c: f"{c['cols'].replace(', ', '、').replace(' and ', '、')} 都读作 {c['n']}",
                x,
            )
            for x in m["said"].split("; ")
        )
        return f"{m['f']}：{said}：只保留其中一列，或把其余的改名"
    if text == "no bid file given":
        return "没有给出报价文件"
    return load_zh(text)


def _rule(text: str) -> str | None:
    """``text`` by the first rule of :data:`LOAD_ZH` (or of :data:`FTM_ZH`) matching it whole, the JSON reader's own
    words in it too (:data:`_JSON_ZH`); None when none does."""
    said = by_rule(LOAD_ZH, text) or by_rule(REFUSED_ZH, text)
    if said is not None and "[Errno " in said:
        said = os_error_zh(said)
    if said is None:
        said = by_rule(FTM_ZH, text)
        if said is not None:
            said = re.sub("|".join(map(re.escape, _JSON_ZH)), lambda m: _JSON_ZH[m[0]], said)
    return said


def _lines_zh(text: str) -> str:
    """Lines and rows as :func:`loaders.report.lines_of` names them, in Chinese: ``line 7`` 第 7 行, ``rows 4, 7 and
    9`` 第 4、7、9 行, ``lines 2, 3 and 5 more`` 第 2、3 行等（另 5 行）, ``(12 lines)`` （12 行）.

    >>> _lines_zh("（lines 4 and 7）"), _lines_zh("（rows 2, 3 and 1,205 more）"), _lines_zh("填表说明 (12 lines)")
    ('（第 4、7 行）', '（第 2、3 行等，另 1,205 行）', '填表说明（12 行）')
    """

    def said(m: re.Match) -> str:
        nums = m["nums"].split(", ") + ([m["last"]] if m["last"] else [])
        return f"第 {'、'.join(nums)} 行" + (f"等，另 {m['more']} 行" if m["more"] else "")

    text = re.sub(
        r"\b(?:line|row)s? (?P<nums>\d+(?:, \d+)*)(?: and (?:(?P<more>[\d,]+) more|(?P<last>\d+)))?", said, text
    )
    return re.sub(r" ?\((?P<n>[\d,]+) (?:line|row)s?\)", r"（\g<n> 行）", text)
