"""Every command's and every option's help as a Chinese reader reads it: ``graphkit … --help`` under the Chinese
console (the default; ``--lang en`` or ``GRAPHKIT_LANG=en`` keeps the English the commands declare).

One table each, read by the help formatter (:class:`graphkit.cli.words.Context`):

* :data:`COMMAND_HELP_ZH`, a command's help by its path (``""`` the ``graphkit`` group itself, ``"load"``,
  ``"collusion score-bids"``); its first paragraph is the command's line in its group's list of commands. A
  paragraph opening with ``\\b`` is printed as it is (click's mark for an example), every other one is wrapped by
  terminal columns (a Chinese character takes two).
* :data:`OPTION_HELP_ZH`, an option's help by its English help as the command declares it: an option several
  commands share (``--store``, ``--by``, ``--unmask``) is said once, and an English help changed without its Chinese
  is caught by ``tests/test_help_zh.py`` (the option would read English under the Chinese console).

Latin letters in the Chinese are names only: options, commands and their values (``--lang``, ``score-bids``,
``en``), file names and formats (``truth.json``, CSV), environment variables and metavars (``GRAPHKIT_USER``,
``NAME#N``) and products (Neo4j, FtM, JupyterLab): :func:`tests.test_help_zh.english_left` states the rule.
"""

from __future__ import annotations

from graphkit.model.mask import masked_kinds

__all__ = ["COMMAND_HELP_ZH", "OPTION_HELP_ZH", "UNMASK_HELP", "short_help_zh"]

#: ``--unmask``'s help, naming every kind masked (:data:`graphkit.model.mask.KINDS`): a kind added there is named here
UNMASK_HELP = f"Show {masked_kinds('en')} in clear (needs --reason)."

#: a command's help in Chinese, by its path (``""``: the ``graphkit`` group)
COMMAND_HELP_ZH: dict[str, str] = {
    "": "面向纪检监察的图谱化调查工作台（数据碰撞）。",
    "synth": (
        "写出合成城市的来源表及植入线索的真值。\n\n"
        "来源表中植入了各类线索（及干扰项），真值写入 truth.json，做脏的行写入 dirty.json。"
    ),
    "load": (
        "把来源表和 FtM 文件加载进库（全部加载或全不加载）。\n\n"
        "把 SOURCE_DIR 中的每张来源表（CSV、XLSX、Parquet）和 FtM 实体文件（*.ftm.json、*.ftm.jsonl、.gz；"
        "含 FtM 实体的 .json、.jsonl 文件亦然），以及 "
        "--as 和 --ftm 给出的文件，加载进库（或写成 neo4j-admin 导入文件夹）；各表全部加载或全不加载。\n\n"
        "一张表按其文件名所指的来源表读入（household.csv、roster_2024.xlsx），否则按其表头所指的来源表读入；"
        "部门文件用词不同时，用 --as 和 --column 指明，控制台会说明用了哪种对应：\n\n"
        "\b\n"
        "  graphkit load --store embedded:g.db --as roster=公务员名册.csv \\\n"
        "      --column roster.人员姓名=name --column roster.工作单位=unit_id\n\n"
        "文件无法读取、缺少必填列或有重复表头时，加载在写入任何内容之前即停止；坏行和坏记录被隔离，加载继续；"
        "中途失败的加载让库保持原样（退出状态 2），但仍写出所读内容的报告和隔离文件。其他类型的文件在警告中列出；"
        "说明文档（README.md）和不含 FtM 实体的 JSON 对象（合成城市的 truth.json）记为已跳过；"
        "文件夹中没有可加载的文件时以非零状态退出。"
    ),
    "stats": ("按节点类别和关系类型计数。\n\n模型中的每个类别和类型都列出，计数为零的也列出。"),
    "model": "图模型与来源表约定。",
    "model docs": "以 Markdown 表格输出模型和每张来源表的约定。",
    "find": (
        "按名称、拼音、身份证号、信用代码、车牌、电话查找实体。\n\n"
        "按名称（精确、繁/简、拼音）、身份证号、统一社会信用代码、车牌、电话或编号查找实体（身份标识遮蔽显示，"
        "除非给出 --unmask）。"
    ),
    "path": (
        "两个实体之间的最短路径，每一跳注明来源行。\n\n"
        "每一跳附来源行并以中文说明（--lang en：英文）；身份标识遮蔽显示，除非给出 --unmask。"
    ),
    "neighbours": ("实体的关系邻域，枢纽节点分页显示。\n\n身份标识遮蔽显示，除非给出 --unmask。"),
    "models": ("数据碰撞模型库：列出与运行模型。\n\n模型即 queries/models/*.cypher 中的查询。"),
    "models list": "列出每个模型：编号、等级规则、标题、它对应的 truth.json 线索类型。",
    "models run": (
        "对库运行模型，把命中写入预警台账。\n\n"
        "预警编号是稳定的（模型编号加命中的键）：再次运行会更新其证据和最近发现时间，不会重复生成预警，"
        "也不会重置其状态。"
    ),
    "warnings": "预警台账：列出预警，按闭环流转。",
    "warnings list": (
        "列出预警，红色在前：等级、状态、模型和摘要用中文（--lang en：英文）；身份标识遮蔽显示，除非给出 --unmask。"
    ),
    "warnings show": (
        "查看一条预警：摘要、涉及实体、证据关系及其来源行、流转记录。\n\n"
        "用中文显示（--lang en：英文）；身份标识遮蔽显示，除非给出 --unmask；--export 把证据画成图。"
    ),
    "warnings update": "按闭环流转一条预警；变更连同办理人和时间一并记录。",
    "collusion": "围标串标：投标筛查、评分模型训练与评分。",
    "collusion score": "为知识图谱中的标段、投标人和投标人社区评分，各附理由。",
    "collusion train": (
        "用带标签的投标表训练串通投标评分模型。\n\n"
        "标签是标段级的 Collusive_competitor 列；筛查指标由 Bid_value 计算（不读表中预先算好的筛查指标列），"
        "`Tender` 和 `Date` 从不作为特征。"
    ),
    "collusion score-bids": (
        "为投标表中的每个标段评分，可用训练好的模型，也可不用模型而用无标签筛查评分。\n\n"
        "读取 `Tender`、`Bid_value` 列，有 `Competitors`、`Winner`、`PTE`、`Number_bids` 列时也使用；"
        "`Date` 列会检查，但与 `Tender` 一样从不作为特征。"
        "无标签筛查评分：已发表的筛查指标按理论定向，在文件自身的市场内排序（见 README "
        "串通投标一节：没有带标签的历史数据）。\n\n"
        "格式有误的行（没有标段、报价不是正数）连同文件、行号和列名报告，写入隔离 CSV 文件并略去；"
        "其他投标照常评分。\n\n"
        "筛查指标在市场（文件，或其市场列）内比较，投标人的行为（轮流中标、从不中标的陪标者、参与多少标段）"
        "从文件本身读出：请把一个市场的标段连同其历史一起评分，而不是每次只评几个。\n\n"
        "用 --segment COLUMN 训练的模型也读取该列；没有该列的文件照常评分，"
        "每个标段在这一点上按其市场的一般水平计（并给出警告）。\n\n"
        "投标人和类别的记录只在学到它的市场内适用。模型不认识文件所属的市场时（默认以文件名为市场名），"
        "评分不用这些记录，并有警告列出模型认识的市场：同一市场后来的文件请用 --market NAME 指明。"
    ),
    "collusion adapt": (
        "用新市场的少量已确认标段（10-50 个）使模型适应该市场。\n\n"
        "学习每个筛查指标在该市场中的方向（以筛查指标在市场内定向后的百分位和未见市场的默认评分做逻辑回归，"
        "权重向默认评分收缩：少数不一致的标签只让排序稍离默认评分），只用已确认的标段拟合；之后 `score-bids "
        "--model OUT` 用它为该市场的文件评分。README 的学习曲线（串通投标：少量标签一节）"
        "说明需要多少个已确认标段才能胜过无标签评分。"
    ),
    "rank": (
        "按异常风险与同类对比，为单位、人员或企业排名。\n\n"
        "风险为 0-100，附主要风险因素。同类：单位与同类型、同规模段的单位比较；规模段不足 8 "
        "个单位时与同类型的全部单位比较，类型不足 8 个单位时与全市比较（“对比范围”列注明）；"
        "人员分在编与非在编比较；企业与全部企业比较。评分为异常部分（最大的三个偏离，权重 1、1/2、1/4）"
        "加预警部分（台账中未结和已核实的预警）；风险为参评对象中得分更低者所占的比例。身份证号遮蔽显示，除非给出 "
        "--unmask。"
    ),
    "portrait": (
        "为巡察生成单位或人员的预画像。\n\n"
        "内容：身份与关键人员，与同类对比的风险，逐跳注明来源的亲属经商办企业情况，采购，车辆与加油，公务接待，"
        "热线，预警及其流转记录，串通投标风险，关系图，数据来源。"
    ),
    "demo": (
        "合成小城市并加载、统计、运行全部功能，写出 out/。\n\n合成一个小城市，加载进嵌入式库，输出统计，写出 out/。"
    ),
    "export": (
        "写出案卷：实体邻域与路径，附来源、案卷号与导出人。\n\n"
        "案卷包括 --entity 的关系邻域和 --path 的路径，附案卷号、导出人和时间、图例，"
        "以及注明每条关系的来源文件和行号的附录。实体须准确指明（只有拼音一致或部分一致的名称会被拒绝，"
        f"并列出候选）。{masked_kinds()}遮蔽显示，除非给出 --unmask --reason（记入审计）。"
    ),
    "audit": ("审计日志：谁在何时为何查询、导出、明文查看了什么。\n\n日志以哈希链连接。"),
    "audit show": "审计日志的记录，最早的在前，时间为本地时区并注明时区偏移（参数中的身份标识遮蔽显示）。",
    "audit policy": (
        "库的明文显示规则（查询审批）。\n\n"
        "给出 --unmask-approval 时，每次 --unmask 以及每个以 unmask=True 打开的面板，"
        "都须有他人记录的审批（`graphkit audit approve`）。"
    ),
    "audit approve": (
        "批准 USER 在若干小时内明文显示身份标识（--unmask）。\n\n"
        "适用于库的规则要求审批时（`graphkit audit policy --unmask-approval`）；审批是哈希链日志中的一条记录。"
    ),
    "audit verify": "检查每条记录的哈希和哈希链；有问题时以状态 1 退出，并指出第一条有问题的记录。",
    "lab": (
        "按角色在 JupyterLab 中打开笔记本。\n\n"
        "笔记本在 notebooks/ 中：`quickstart`、`explorer`、`collusion` …。每个笔记本新建一个合成城市，除非 --store "
        "指定一个已有的库，例如团队的 Neo4j：\n\n"
        "\b\n"
        "  graphkit lab --store neo4j://HOST:7687 \\\n      --ledger team.ledger.sqlite --audit team.audit.jsonl\n\n"
        "（用户名和密码在环境变量 NEO4J_USER 和 NEO4J_PASSWORD 中）。文件名相对于运行命令的文件夹，尽管笔记本在 "
        "notebooks/ 中运行。"
    ),
}

#: an option's help in Chinese, by its English help as the command declares it (its ``[default: …]``, said by
#: click after it, is kept)
OPTION_HELP_ZH: dict[str, str] = {
    "More logging (-v info, -vv debug).": "输出更多日志（-v 信息，-vv 调试）。",
    "Permissions of the files and folders written (stores, ledgers, quarantine, reports, exports): 077 makes "
    "them readable by you only (files 0600, folders 0700); 022 makes them readable by all.": (
        "写出的文件和文件夹（库、台账、隔离文件、报告、导出）的权限：077 仅本人可读（文件 0600，文件夹 0700）；"
        "022 所有人可读。"
    ),
    "Viewer role (also GRAPHKIT_ROLE=viewer): stores opened read-only; no load, ledger change or --unmask.": (
        "只读角色（也可设 GRAPHKIT_ROLE=viewer）：库以只读方式打开；不能加载、改台账或 --unmask。"
    ),
    "Number of persons in the household registry.": "户籍表中的人数。",
    "Random seed (same seed, same files).": "随机种子（种子相同，文件相同）。",
    "Folder to write the source tables, truth.json and dirty.json into.": (
        "写入来源表、truth.json 和 dirty.json 的文件夹。"
    ),
    "Share of rows per table made dirty (bad check digits, duplicates, typos, gaps).": (
        "每张表中做脏的行的比例（校验位错误、重复、错别字、缺项）。"
    ),
    "File format of the tables.": "表的文件格式。",
    "Planted instances (and as many decoys) of each scheme per 10,000 persons, at least one each.": (
        "每一万人中每类线索植入的个数（另植入同样多的干扰项），每类至少一个。"
    ),
    "The closing line in Chinese, or English (en); the files are the same either way.": (
        "结束行用中文，或英文（en）；写出的文件两种都一样。"
    ),
    "embedded:PATH (Ladybug, in-process) or neo4j://HOST:PORT (NEO4J_USER / NEO4J_PASSWORD from the environment)": (
        "embedded:路径（嵌入式库）或 neo4j://主机:端口（用户名、密码取自环境变量 NEO4J_USER / NEO4J_PASSWORD）"
    ),
    "Instead of a store: write header + CSV files for neo4j-admin database import full into this new folder "
    "(with import.args and schema.cypher; see tools/neo4j/run.sh import).": (
        "不写入库，而是把表头和 CSV 文件写进这个新文件夹，供 `neo4j-admin database import full` 导入"
        "（附 import.args 和 schema.cypher；见 `tools/neo4j/run.sh import`）。"
    ),
    "An FtM entity file elsewhere (JSON lines, .gz too) to load after the folder; repeatable.": (
        "别处的一个 FtM 实体文件（JSON 行，也可 .gz），在文件夹之后加载；可重复。"
    ),
    "CSV of refused rows [default: <store path>.quarantine.csv, or ./quarantine.csv for Neo4j].": (
        "被拒绝行的 CSV 文件［默认：<库路径>.quarantine.csv，Neo4j 为 ./quarantine.csv］。"
    ),
    "Write the load report (per file: encoding, read, loaded, quarantined, dropped values, created) as JSON.": (
        "把加载报告（每个文件的编码、读入、加载、隔离、丢弃的值、新建的数目）写成 JSON。"
    ),
    "Text encoding of every CSV file (gb18030, utf-8 …) [default: detected].": (
        "所有 CSV 文件的文本编码（gb18030、utf-8 …）［默认：自动识别］。"
    ),
    "Read FILE (in SOURCE_DIR or anywhere) as the SOURCE table, whatever its name or headers: --as "
    "roster=公务员名册.xlsx; repeatable.": (
        "把等号后的文件（在 SOURCE_DIR 中或任何地方）当作等号前的 SOURCE 表读入，不论其文件名或表头：--as "
        "roster=公务员名册.xlsx；可重复。"
    ),
    "In the SOURCE table's files, read the column headed HEADER as the contract's FIELD (a column name or "
    "Chinese header `graphkit model docs` lists): --column roster.工作单位=unit_id; repeatable.": (
        "在 SOURCE 表的文件中，把表头为 HEADER 的列读作约定中的 FIELD（列名或 `graphkit model docs` "
        "列出的中文表头）：--column roster.工作单位=unit_id；可重复。"
    ),
    "Exit non-zero (3) when any row is quarantined or any warning is given (without it, 3 only when a file "
    "loads none of its rows).": (
        "有任何行被隔离或有任何警告时以非零状态（3）退出（不加此项时，仅当某个文件一行也没有加载时退出码为 3）。"
    ),
    "The console's lines (the table's header, the refused rows and why, the notes, the closing line) in "
    "Chinese, or English (en); the report and the quarantine file keep the loader's words either way.": (
        "控制台输出（表头、被拒绝的行及原因、注意事项、结束行）用中文，或英文（en）；"
        "加载报告和隔离文件两种都用加载器的原文。"
    ),
    "Print JSON: {nodes: {label: n}, relationships: {type: n}}.": (
        "输出 JSON：{nodes: {类别: 数目}, relationships: {类型: 数目}}。"
    ),
    "Each label and relationship type with its Chinese name beside it (自然人 Person, 亲属 FAMILY), or the "
    "model's names alone (en); --json is the same either way.": (
        "每个节点类别和关系类型旁附中文名（自然人 `Person`，亲属 `FAMILY`），"
        "或只用模型中的名称（en）；--json 两种都一样。"
    ),
    "Search only this way [default: every way the query's form allows].": (
        "只按这一种方式查找［默认：按查询内容的形式所允许的每种方式］。"
    ),
    "Print candidates as JSON.": "以 JSON 输出候选实体。",
    "The table's header, each kind (自然人, 单位) and how it matched (拼音一致) in Chinese, or English (en); "
    "--json is the same either way.": (
        "表头、实体类别（自然人、单位）和匹配方式（拼音一致）用中文，或英文（en）；--json 两种都一样。"
    ),
    "Who runs this, for the audit log [default: GRAPHKIT_USER or login].": (
        "由谁运行，记入审计日志［默认：GRAPHKIT_USER 或登录名］。"
    ),
    "Why (精准授权): kept in the audit log with the command.": "目的（精准授权）：与命令一并记入审计日志。",
    UNMASK_HELP: f"明文显示{masked_kinds()}（须给出 --reason）。",
    "Why identifiers are shown in clear (kept in the audit log).": "明文显示的理由（记入审计日志）。",
    "Relationship types to follow, comma-separated [default: all].": "沿哪些关系类型查找，以逗号分隔［默认：全部］。",
    "Every shortest path, not just one.": "列出每条最短路径，而不只一条。",
    "Every simple path up to --max-hops (at most 6), shortest first.": (
        "列出 --max-hops 跳以内（至多 6 跳）的每条简单路径，最短的在前。"
    ),
    "Most paths printed.": "最多输出几条路径。",
    "Print paths (nodes, links, explanation) as JSON.": "以 JSON 输出路径（节点、关系、说明）。",
    "Also write the paths found, drawn together, as a case file: .html .pdf .png .svg .graphml .gexf .json by "
    "suffix (repeatable; entities then named exactly).": (
        "另把找到的路径画在一起，写成案卷文件：按后缀为 .html .pdf .png .svg .graphml .gexf .json（可重复；"
        "此时实体须准确指明）。"
    ),
    "The case number (案卷号) printed on every page of an --export file (omitted: the file says it has none).": (
        "--export 文件每页印上的案卷号（不给：文件注明没有案卷号）。"
    ),
    "Each hop explained in Chinese (配偶为, 持股60%, 第2行), or English as before (en); --json too.": (
        "每一跳用中文说明（配偶为、持股60%、第2行），或如从前用英文（en）；--json 也一样。"
    ),
    "Most links listed per node; a node with more is a hub, shown a page at a time.": (
        "每个节点最多列出几条关系；关系更多的节点是枢纽，分页显示。"
    ),
    "Page of the entity's own links, counting from 1 (the first page is --page 1).": (
        "实体自身关系的第几页，从 1 数起（第一页即 --page 1）。"
    ),
    "Cursor instead of --page: the page after this link id (printed as 'next --after').": (
        "代替 --page 的游标：此关系编号之后的一页（输出中写作 `next --after`）。"
    ),
    "Print nodes, links and hubs as JSON.": "以 JSON 输出节点、关系和枢纽。",
    "Also write the neighbourhood as a self-contained HTML visual (the same as --export FILE.html).": (
        "另把关系邻域写成独立的 HTML 可视化文件（同 --export FILE.html）。"
    ),
    "Also write the neighbourhood as a case file: .html .pdf .png .svg .graphml .gexf .json by suffix "
    "(repeatable; the entity then named exactly).": (
        "另把关系邻域写成案卷文件：按后缀为 .html .pdf .png .svg .graphml .gexf .json（可重复；此时实体须准确指明）。"
    ),
    "The table in Chinese (kinds 自然人, 企业 …; an amount in 万元), or in English as before (en).": (
        "表格用中文（类别为自然人、企业 …；金额以万元计），或如从前用英文（en）。"
    ),
    "Print every model's header as JSON.": "以 JSON 输出每个模型的文件头。",
    "zh: each model's Chinese title and its level rule in Chinese; en: the English title and rule.": (
        "zh：每个模型的中文标题及中文的等级规则；en：英文标题和规则。"
    ),
    "Run only this model (repeat for several) [default: all].": "只运行这个模型（可重复以运行多个）［默认：全部］。",
    "SQLite file of the warning ledger [default: GRAPHKIT_LEDGER, else <store path>.ledger.sqlite; a Neo4j "
    "store needs one of the two].": (
        "预警台账的 SQLite 文件［默认：GRAPHKIT_LEDGER，否则为 <库路径>.ledger.sqlite；Neo4j 库须给出其一］。"
    ),
    "Who runs the models, kept in the ledger [default: the login name].": "由谁运行模型，记入台账［默认：登录名］。",
    "Why, kept in the audit log.": "目的，记入审计日志。",
    "The table (each model by its Chinese title) and the closing line in Chinese, or English (en).": (
        "表格（每个模型以中文标题列出）和结束行用中文，或英文（en）。"
    ),
    "The store the ledger sits beside (embedded:PATH (Ladybug, in-process) or neo4j://HOST:PORT (NEO4J_USER / "
    "NEO4J_PASSWORD from the environment)).": (
        "台账所在的库（embedded:路径（嵌入式库）或 neo4j://主机:端口（用户名、密码取自环境变量 NEO4J_USER / "
        "NEO4J_PASSWORD））。"
    ),
    "Only warnings in this status (repeat for several).": "只列出处于这一状态的预警（可重复以列出多个状态）。",
    "Only this level.": "只列出这一等级。",
    "Only this model's warnings: its id, as `models list` shows it, or its Chinese title as the list shows it.": (
        "只列出这个模型的预警：模型编号（即 `models list` 所列），或预警列表所列的模型中文名称（如 围标串标）。"
    ),
    "Only the warnings about one unit, person or company: its key, its exact name or the handle rank and find "
    "print (NAME#N) — an inspection team's unit before a visit.": (
        "只列出关于一个单位、人员或企业的预警：其编号、准确名称，或 rank 和 find 列出的指称（NAME#N）；"
        "如巡察组进驻前查看所巡单位。"
    ),
    "JSON: id, model id, level, status with its history (who, when), summary (English) and summary_zh "
    "(Chinese), entities' natural keys, evidence.": (
        "JSON：编号、模型编号、等级、状态及其流转记录（谁、何时）、英文摘要 `summary` 和中文摘要 `summary_zh`、"
        "实体的自然键、证据。"
    ),
    "Chinese words (the Chinese summary, 红色, 待核查, the model's Chinese title), or English as before (en). "
    "--json keeps the keys and both summaries either way.": (
        "中文用语（中文摘要、红色、待核查、模型的中文标题），或如从前用英文（en）。--json 两种都保留键名和两种摘要。"
    ),
    "Print the warning as JSON.": "以 JSON 输出该预警。",
    "Draw the evidence the model used as a case file (.html .pdf .png .svg .graphml .gexf .json by suffix; "
    "repeat for several; needs --store).": (
        "把模型所用的证据画成案卷文件（按后缀为 .html .pdf .png .svg .graphml .gexf .json；可重复；须给出 --store）。"
    ),
    "The new status (generated → dispatched → verified → rectified).": (
        "新的状态（generated 待核查 → dispatched 核查中 → verified 已核查 → rectified 已整改）。"
    ),
    "Who makes the change.": "由谁变更。",
    "What was done or found (required to verify).": "做了什么或查到了什么（核实时必填）。",
    "Whom the warning is dispatched to (required to dispatch).": "预警分派给谁（分派时必填）。",
    "What verification found (required to verify).": "核查结论（核实时必填）。",
    "The line saying the change (and a refusal) in Chinese (待核查 → 核查中), or English as before (en).": (
        "说明此次变更（及拒绝）的一行用中文（待核查 → 核查中），或如从前用英文（en）。"
    ),
    "embedded:PATH or neo4j://HOST:PORT": "embedded:路径 或 neo4j://主机:端口",
    "Folder for tenders.csv, bidders.csv, communities.csv, communities.html and communities.graphml (the "
    "riskiest communities' evidence for Gephi, yEd or i2).": (
        "写入 tenders.csv、bidders.csv、communities.csv、communities.html 和 communities.graphml "
        "的文件夹（最可疑社区的证据，供 Gephi、yEd 或 i2 使用）。"
    ),
    "Community detection method.": "社区发现方法。",
    "Seed of community detection.": "社区发现的随机种子。",
    "Modularity resolution (higher: smaller communities).": "模块度分辨率（越高，社区越小）。",
    "Split a community again when its own subgraph splits with at least this modularity (0: never).": (
        "社区自身的子图能以至少这一模块度再分时，再拆分一次（0：从不）。"
    ),
    "Always split communities larger than this (0: never).": "大于此规模的社区一律拆分（0：从不）。",
    "Riskiest communities drawn in communities.html (0: no HTML).": (
        "在 communities.html 中画出几个最可疑的社区（0：不写 HTML）。"
    ),
    "The console's lines (notes, warnings, the closing line) in Chinese, or English as before (en); the files "
    "written are the same either way.": (
        "控制台输出（注意事项、警告、结束行）用中文，或如从前用英文（en）；写出的文件两种都一样。"
    ),
    "Labelled bid table(s) (column Collusive_competitor); more files may follow: --bids A.csv B.csv": (
        "带标签的投标表（列 Collusive_competitor）；后面可跟更多文件：--bids A.csv B.csv"
    ),
    "Model file to write (skops format).": "要写出的模型文件（skops 格式）。",
    "How screens are compared within a market (each file is a market unless it has a market column).": (
        "在一个市场内如何比较筛查指标（每个文件是一个市场，除非它有市场列）。"
    ),
    "Learn which bidders sat in collusive training tenders (helps only where the same firms bid again: a "
    "later file of a training market; for markets it was not trained on, --no-bidder-history).": (
        "学习哪些投标人出现在串通的训练标段中（只在同一批企业再次投标时有用：训练市场后来的文件；"
        "对未训练过的市场，用 --no-bidder-history）。"
    ),
    "Column naming each tender's kind of contract or work (e.g. Contract_type): the model keeps a record of "
    "how often each kind was collusive in its market's training tenders, and score-bids reads the same column.": (
        "标明每个标段合同或工程类别的列（如 Contract_type）：模型记下每个类别在其市场训练标段中串通的频率，"
        "score-bids 读取同一列。"
    ),
    "Market the bids belong to [default: the file's market column, else the file's name]. Screens are "
    "compared within a market, and bidder ids and segments keep their record per market: give a later file of "
    "the same market the name its model was trained under.": (
        "投标所属的市场［默认：文件的市场列，否则为文件名］。筛查指标在一个市场内比较，"
        "投标人编号和类别按市场记录：同一市场后来的文件请给出训练模型时用的市场名。"
    ),
    "CSV of malformed rows [default: <out>.quarantine.csv].": "格式有误的行的 CSV 文件［默认：<out>.quarantine.csv］。",
    "Boosting iterations (fewer: faster training, coarser model).": ("提升法迭代次数（越少：训练越快，模型越粗）。"),
    "Random seed of the model.": "模型的随机种子。",
    "Model file from `graphkit collusion train` or `adapt` [default: none, the label-free screen score].": (
        "`graphkit collusion train` 或 `adapt` 得出的模型文件［默认：无，用无标签筛查评分］。"
    ),
    "CSV or XLSX to write (by the suffix): one row per tender, columns tender, risk (0-1), flagged, priority (the "
    "short list to review first), reasons; riskiest first.": (
        "要写出的 CSV 或 XLSX（按后缀）：每个标段一行，列为 标段、风险（0-1）、预警、优先复核（优先复核的短名单）、"
        "理由；最可疑的在前。"
    ),
    "The console's lines (notes, warnings, the closing lines) and the --out file's column headers in Chinese "
    "(标段, 风险, 预警, 优先复核, 理由 …), or in English as before (en: tender, risk, flagged, priority, "
    "reasons …); the values are the same either way.": (
        "控制台输出（注意事项、警告、结束行）和 --out 文件的列名用中文（标段、风险、预警、优先复核、理由 …），或如从前"
        "用英文（en：`tender`、`risk`、`flagged`、`priority`、`reasons` …）；两种写出的值都一样。"
    ),
    "The console's lines (the progress bar, the closing line) and the column headers of tenders.csv, bidders.csv "
    "and communities.csv in Chinese (标段, 风险, 理由 …, as score-bids --out heads its file), or in English as "
    "before (en: tender, risk, reasons …); the values are the same either way.": (
        "控制台输出（进度条、结束行）和 tenders.csv、bidders.csv、communities.csv 的列名用中文（标段、风险、理由 …，"
        "与 score-bids --out 的文件相同），或如从前用英文（en：`tender`、`risk`、`reasons` …）；两种写出的值都一样。"
    ),
    "Column naming each tender's kind of contract (e.g. Contract_type) for the label-free score: screens are "
    "then ranked within the kind as well as within the number of bids, and each tender is read next to the "
    "other tenders of its kind. With --model it serves the label-free score of a market the model was not "
    "trained on (a model trained with --segment reads its own column).": (
        "标明每个标段合同类别的列（如 Contract_type），用于无标签评分：筛查指标除在投标数相同的标段中排序外，"
        "还在同类别中排序，每个标段与同类别的其他标段对照。配合 --model 时，"
        "它用于模型未训练过的市场的无标签评分（用 --segment 训练的模型读取它自己的列）。"
    ),
    "Every bid of the new market (labelled tenders or not: all are the screens' reference).": (
        "新市场的全部投标（有无标签均可：全部作为筛查指标的参照）。"
    ),
    "Confirmed tenders of that market: columns Tender and Collusive_competitor (1 collusive, 0 not).": (
        "该市场已确认的标段：列 `Tender` 和 `Collusive_competitor`（1 为串通，0 为否）。"
    ),
    "Model trained on other markets (`graphkit collusion train`) [default: start from the label-free score].": (
        "在其他市场上训练的模型（`graphkit collusion train`）［默认：从无标签评分开始］。"
    ),
    "Model file to write.": "要写出的模型文件。",
    (
        "Flag the riskiest share Q of the market (0 < Q < 1: the share of rigged tenders the commission expects, or "
        "its review capacity) [default: the threshold of best balanced accuracy, which flags a third to a half of a "
        "market or more, whatever its share of rigged tenders]."
    ): (
        "标记本市场风险最高的 Q 份额（0 < Q < 1：纪检监察机关预计的串标标段所占份额，或其复核能力）"
        "［默认：平衡准确率最高处的阈值，无论串标标段占多少，都标记市场的三分之一到一半甚至更多］。"
    ),
    "How many to list.": "列出多少个。",
    "Print a JSON list of {id, name, kind, risk, factors}.": "输出 JSON 列表：`{id, name, kind, risk, factors}`。",
    "Rank on anomaly features alone (no model hits, no ledger).": "只按异常特征排名（不用模型命中，不读台账）。",
    "Also score tender collusion on the graph (collusion_exposure).": (
        "另在图上评估串通投标风险（collusion_exposure）。"
    ),
    "Weight the features by how well they separate the ledger's verified warnings (true vs false positive).": (
        "按各特征区分台账中已核查预警（属实与不属实）的能力为特征加权。"
    ),
    "Query the store even if <store>.risk-cache holds its tables.": (
        "即使 <store>.risk-cache 中已有库的表，也重新查询库。"
    ),
    "Units of one district only, ranked against the city: its 辖区 code, the start of a code, or the "
    "district's name (320583, 昆山市 or 昆山).": (
        "只排一个区县的单位，与全市对比：其辖区代码、代码的开头或区县名称（320583、昆山市 或 昆山）。"
    ),
    "Also write the whole ranking (every one listed, factors in full) to a .csv or .xlsx for the team.": (
        "另把完整排名（全部列出，风险因素完整）写成 .csv 或 .xlsx，供团队使用。"
    ),
    "Score on one period's records only: 2024, 2024-03 or 2023-07..2024-06 (tenders, contracts, payments, "
    "receptions and hotline tickets of it; posts held in it; the warnings naming one of its records; "
    "fuel-card and vehicle figures as the store totals them, over all dates).": (
        "只按一个时段的记录评分：2024、2024-03 或 2023-07..2024-06（该时段的招标、合同、支付、公务接待和热线工单；"
        "该时段内任职的职务；涉及其中某条记录的预警；加油卡和车辆数据为库中所有日期的合计）。"
    ),
    "With --period: score this earlier period too and show each one's risk then and the change.": (
        "配合 --period：对这一较早时段也评分，并显示两个时段各自的风险及变化。"
    ),
    "The console's lines (the table's header and notes, the closing line) and the portrait's file in Chinese, or "
    "English (en: the console in English, the portrait with its English beside the Chinese); --json and rank's "
    "--out are the same either way.": (
        "控制台输出（表头、注意事项、结束行）和预画像文件用中文，或用英文（en：控制台为英文，预画像在中文旁附英文）；"
        "--json 和 rank 的 --out 两种都一样。"
    ),
    "The unit: its unified social credit code or its exact name (NAME#N for namesakes).": (
        "单位：其统一社会信用代码或准确名称（同名者用 NAME#N）。"
    ),
    "The person: ID number, exact name, or the handle `rank --kind person` and `find` print (NAME#N).": (
        "人员：身份证号、准确名称，或 `rank --kind person` 和 `find` 列出的指称（NAME#N）。"
    ),
    "The portrait: .html (self-contained), .pdf or .md, by the suffix.": (
        "预画像文件：按后缀为 .html（独立文件）、.pdf 或 .md。"
    ),
    "Also a PDF.": "另写一份 PDF。",
    "Case or inspection number printed on every page of the PDF and under the title of the HTML and Markdown "
    "(巡2024-03) [default: none, said so].": (
        "印在 PDF 每一页、以及 HTML 和 Markdown 标题下的案卷号或巡察编号（巡2024-03）［默认：无，并注明］。"
    ),
    "Score risk on anomaly features alone (warnings still listed).": "只按异常特征评估风险（仍列出预警）。",
    "List every key person and every linked company (else the first 20 and 15, saying how many are left out).": (
        "列出全部关键人员和每家关联企业（否则只列前 20 人和前 15 家，并注明略去多少）。"
    ),
    "Most nodes the relationship map draws: the subject, the most paid companies' chains first (0: all).": (
        "关系图最多画几个节点：先画对象本人和收款最多的企业的关系链（0：全部）。"
    ),
    "Add an Isolation Forest term to the score: W × 6 × the entity's Isolation Forest rank in [0, 1] (0: off; "
    "bench/risk_eval.py --iforest measures it). `rank` and `portrait` with the same W give one score.": (
        "在得分中加入孤立森林一项：W × 6 × 对象在孤立森林中的排位（0 到 1；0：不加；bench/risk_eval.py --iforest "
        "可度量其效果）。`rank` 与 `portrait` 用同一个 W，得分一致。"
    ),
    "Score the risk with tender collusion on the graph (collusion_exposure), as `rank --collusion` ranks.": (
        "评估风险时计入图上的串通投标（collusion_exposure），与 `rank --collusion` 的排名一致。"
    ),
    "Folder for the demo's city, store, reports and visuals.": "存放演示用城市、库、报告和可视化文件的文件夹。",
    "Persons in the synthetic city.": "合成城市的人数。",
    "An entity whose neighbourhood is exported (repeatable): a key, an identifier, or an exact name (繁/简 "
    "alike); NAME#N for the N-th namesake as the candidates list numbers them.": (
        "要导出其关系邻域的实体（可重复）：编号、身份标识或准确名称（繁简均可）；同名者用 NAME#N，N "
        "为候选列表中的序号。"
    ),
    "Hops around each entity.": "每个实体周围展开几跳。",
    "Also the shortest paths between two entities: A B (repeatable; named as --entity is).": (
        "另导出两个实体之间的最短路径：A B（可重复；实体写法同 --entity）。"
    ),
    "Longest path looked for.": "最多查找几跳的路径。",
    "Most candidates listed.": "最多列出几个候选实体。",
    "Hops around the entity.": "实体周围展开几跳。",
    "Rank units, persons or companies.": "为单位（unit）、人员（person）或企业（company）排名。",
    "Random seed of the synthetic city.": "合成城市的随机种子（种子相同，城市相同）。",
    "Most links listed per node other than an --entity; a node with more is a hub and is not expanded (the "
    "case file names it).": ("--entity 以外的节点最多列出几条关系；关系更多的节点是枢纽，不再展开（案卷文件会注明）。"),
    "Most of an --entity's own links taken (all of them up to this); the case file names the rest.": (
        "--entity 自身的关系最多取几条（不超过此数则全取）；其余的在案卷文件中注明。"
    ),
    "Format [default: the --out file's suffix].": "格式［默认：--out 文件的后缀］。",
    "The case number (案卷号), printed on every page.": "案卷号，印在每一页上。",
    "The file to write.": "要写出的文件。",
    "Most nodes a drawing (html, pdf, png, svg) shows; the legend names what is left out.": (
        "一张图（html、pdf、png、svg）最多画几个节点；图例注明略去了什么。"
    ),
    "The store whose log to read (<store>.audit.jsonl).": "要读取其审计日志的库（<store>.audit.jsonl）。",
    "The audit log file itself.": "审计日志文件本身。",
    "Only this person's records: the name given (--by) or the login account that ran them.": (
        "只看此人的记录：所给的姓名（--by）或运行命令的登录账户。"
    ),
    "Only records from this day or time on (2024-05-01 or ISO time, in GRAPHKIT_TZ unless it has an offset).": (
        "只看此日或此时以后的记录（2024-05-01 或 ISO 时间；不带时区偏移即为本单位所在时区 GRAPHKIT_TZ 的时间）。"
    ),
    "Only this command's records: its name (find, export …) or its words as audit show prints them (查找实体, "
    "导出案卷 …).": (
        "只看此命令的记录：命令名（find、export …）或 audit show 所列的中文名称（查找实体、导出案卷 …）。"
    ),
    "Only records about this entity: what was asked and the persons a command showed (params.persons). A key "
    "or identifier (an ID number), or as a show printed it masked (3205**********8690); with --store also an "
    "exact name or NAME#N.": (
        "只看关于此实体的记录：所查的内容和命令显示过的人员（params.persons）。编号或身份标识（身份证号），或 "
        "show 输出的遮蔽形式（3205**********8690）；给出 --store 时也可用准确名称或 NAME#N。"
    ),
    "Print the records as JSON lines.": "以 JSON 行输出记录。",
    "Also write the records shown to this CSV file for a review (Chinese columns, English under --lang en; "
    "opens in Excel); the writing is itself recorded, with the file's SHA-256 and the log's head.": (
        "另把显示的记录写入这个 CSV 文件以供审查（中文列名，--lang en 时为英文；可用 Excel 打开）；"
        "写出本身也记入日志，附文件的 SHA-256 和日志的链头。"
    ),
    "Show identifiers in the parameters in clear (needs --reason).": "明文显示参数中的身份标识（须给出 --reason）。",
    "Why (kept in the audit log).": "理由（记入审计日志）。",
    "Who reads the log (recorded when unmasking or writing --out).": "由谁查看日志（明文显示或写出 --out 时记录）。",
    "Chinese words for the supervisor, or English as before (en); --json is the same in both.": (
        "面向监督人员的中文用语，或如从前用英文（en）；--json 两种都一样。"
    ),
    "Require a supervisor's approval (graphkit audit approve) before anyone shows identifiers in clear; or "
    "lift that rule. Without either: print the rule in force.": (
        "要求任何人明文显示身份标识之前须经领导审批（graphkit audit approve）；或解除此规则。两者都不给：输出现行规则。"
    ),
    "Who sets the rule [default: GRAPHKIT_USER or login].": "由谁设定规则［默认：GRAPHKIT_USER 或登录名］。",
    "Why (kept in the audit log; needed to change the rule).": "理由（记入审计日志；更改规则时必填）。",
    "Who may show identifiers in clear (their --by or GRAPHKIT_USER).": (
        "谁可以明文显示身份标识（其 --by 或 GRAPHKIT_USER）。"
    ),
    "Why, e.g. the case and the approval document (kept in the log).": "理由，如案件和审批文件（记入日志）。",
    "Who approves: not the person approved [default: GRAPHKIT_USER or login].": (
        "由谁审批：不能是被批准的人本人［默认：GRAPHKIT_USER 或登录名］。"
    ),
    "How long the approval lasts.": "审批的有效小时数。",
    "Port on 127.0.0.1.": "127.0.0.1 上的端口。",
    "Do not open a browser.": "不打开浏览器。",
    "Point the notebooks at this store (GRAPHKIT_STORE), opened read-only, instead of building a city: "
    "embedded:PATH (Ladybug, in-process) or neo4j://HOST:PORT (NEO4J_USER / NEO4J_PASSWORD from the "
    "environment)": (
        "让笔记本使用这个库（GRAPHKIT_STORE，只读打开），而不是新建合成城市：embedded:路径（嵌入式库）或 "
        "neo4j://主机:端口（用户名、密码取自环境变量 NEO4J_USER / NEO4J_PASSWORD）"
    ),
    "Its warning ledger (GRAPHKIT_LEDGER; a Neo4j store needs one).": (
        "它的预警台账（GRAPHKIT_LEDGER；Neo4j 库须给出）。"
    ),
    "The audit log the notebooks append to (GRAPHKIT_AUDIT).": "笔记本追加写入的审计日志（GRAPHKIT_AUDIT）。",
    "The rows its load refused (GRAPHKIT_QUARANTINE).": "它加载时拒绝的行（GRAPHKIT_QUARANTINE）。",
}


def short_help_zh(path: str) -> str | None:
    """A command's line in its group's list of commands: the first paragraph of its Chinese help (None without one).

    >>> short_help_zh("collusion")
    '围标串标：投标筛查、评分模型训练与评分。'
    """
    text = COMMAND_HELP_ZH.get(path)
    return None if text is None else text.split("\n\n", 1)[0].replace("\n", "")
