"""
The questionnaire's own words, in the languages it is written in.

Headers, sheet names, field names, the instructions and the progress
labels come from this catalogue; the pack's words (tier and node names,
requirement texts, rubric labels) come from the pack.  A language the
catalogue lacks falls back to English, as pack texts do.

Every catalogue language has every key (a test checks); a text may hold
``{placeholders}`` that :func:`message` fills in.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from maturity_core._text import FALLBACK


_EN: Final = {
    # Sheets
    "sheet.instructions": "instructions",
    "sheet.ratings": "ratings",
    "sheet.metadata": "metadata",
    "sheet.assessors": "assessors",
    "sheet.tailoring": "tailoring",
    # Columns of the ratings sheet
    "column.id": "id",
    "column.item": "item",
    "column.level": "level",
    "column.requirement": "requirement",
    "column.rating": "rating",
    "column.evidence": "evidence",
    "column.note": "note",
    "column.assessor": "assessor",
    # Columns of the other sheets
    "column.field": "field",
    "column.value": "value",
    "column.name": "name",
    "column.role": "role",
    "column.node": "node",
    "column.title": "title",
    "column.tailored": "tailored out",
    "column.reason": "reason",
    "column.tailoring_node": "tailoring_node",
    "column.tailoring_reason": "tailoring_reason",
    # Metadata fields
    "field.pack": "pack",
    "field.pack_version": "pack_version",
    "field.profile": "profile",
    "field.rule": "rule",
    "field.organisation": "organisation",
    "field.date": "date",
    "field.mode": "mode",
    "field.assessors": "assessors",
    "field.notes": "notes",
    # Values
    "mode.self": "self-assessment",
    "mode.external": "external assessment",
    "role.lead": "lead",
    "role.member": "member",
    "mark.yes": "yes",
    # Progress
    "progress.overall": "Progress, all requirements (rated / to rate)",
    "progress.group": "Progress (rated / to rate)",
    "progress.tailored": "tailored out",
    # Texts the pack lacks in the chosen language
    "text.original": "[original, {language}]",
    # The instructions sheet
    "instructions.title": "How to fill in this questionnaire",
    "instructions.pack": "Standard: {title}",
    "instructions.steps": "Steps",
    "instructions.step.ratings": (
        "1. On the sheet '{ratings}', choose a rating for each requirement "
        "from the drop-down in the column '{rating}'. Leave it blank while "
        "a requirement is not yet rated."
    ),
    "instructions.step.evidence": (
        "2. Write the evidence you saw in '{evidence}' (one item a line) "
        "and anything else in '{note}'."
    ),
    "instructions.step.metadata": (
        "3. On the sheet '{metadata}', fill in the organisation, the date "
        "(YYYY-MM-DD) and the mode; leave the pack, version and profile "
        "as they are."
    ),
    "instructions.step.assessors": (
        "4. On the sheet '{assessors}', list the assessors: one a row, "
        "the name in '{name}' and the role ({roles}) from the drop-down "
        "in '{role}'; the role may be left blank."
    ),
    "instructions.step.tailoring": (
        "5. On the sheet '{tailoring}', mark a part of the model that does "
        "not apply to the organisation: choose '{yes}' in '{tailored}' and "
        "give the reason in '{reason}'. Its requirements are then not "
        "rated; leave their ratings blank."
    ),
    "instructions.step.rows": (
        "Do not change the '{id}' column or the headers, and do not add "
        "or delete rows on '{ratings}'; the rows in bold are the groups "
        "of the model, with their progress."
    ),
    "instructions.progress": (
        "Progress is the share of requirements rated among those still "
        "to rate (tailored-out parts do not count); it updates as you "
        "fill in the ratings."
    ),
    "instructions.rubric": "Ratings: {rubric}",
    "instructions.rubric.unnamed": "Ratings",
    "instructions.rubric.requirements": "used by {count} requirements",
    "instructions.rating": "rating",
    "instructions.value": "value",
    "instructions.id": "id",
    "instructions.na": "not applicable: not scored",
    # The rating drop-down
    "dropdown.error": "Choose one of: {labels} (blank: not yet rated)",
    "dropdown.choose": "Choose from the list",
}

_ZH: Final = {
    "sheet.instructions": "填写说明",
    "sheet.ratings": "评分",
    "sheet.metadata": "基本信息",
    "sheet.assessors": "评估人员",
    "sheet.tailoring": "裁剪",
    "column.id": "编号",
    "column.item": "评估项",
    "column.level": "等级",
    "column.requirement": "要求",
    "column.rating": "评分",
    "column.evidence": "证据",
    "column.note": "备注",
    "column.assessor": "评估人",
    "column.field": "项目",
    "column.value": "内容",
    "column.name": "姓名",
    "column.role": "角色",
    "column.node": "节点编号",
    "column.title": "名称",
    "column.tailored": "是否裁剪",
    "column.reason": "裁剪理由",
    "column.tailoring_node": "裁剪节点",
    "column.tailoring_reason": "裁剪节点理由",
    "field.pack": "模型包",
    "field.pack_version": "模型包版本",
    "field.profile": "评估类型",
    "field.rule": "等级规则",
    "field.organisation": "受评组织",
    "field.date": "评估日期",
    "field.mode": "评估方式",
    "field.assessors": "评估人员名单",
    "field.notes": "说明",
    "mode.self": "自评估",
    "mode.external": "外部评估",
    "role.lead": "组长",
    "role.member": "组员",
    "mark.yes": "是",
    "progress.overall": "总体进度（已评 / 应评）",
    "progress.group": "进度（已评 / 应评）",
    "progress.tailored": "已裁剪",
    "text.original": "[原文，{language}]",
    "instructions.title": "问卷填写说明",
    "instructions.pack": "标准：{title}",
    "instructions.steps": "填写步骤",
    "instructions.step.ratings": (
        "1. 在“{ratings}”表中，逐条从“{rating}”列的下拉列表中选择评分；"
        "尚未评估的要求留空。"
    ),
    "instructions.step.evidence": (
        "2. 在“{evidence}”列填写所见证据（每条一行），其他说明填在“{note}”列。"
    ),
    "instructions.step.metadata": (
        "3. 在“{metadata}”表中填写受评组织、评估日期（YYYY-MM-DD）和评估方式；"
        "模型包、版本和评估类型保持不变。"
    ),
    "instructions.step.assessors": (
        "4. 在“{assessors}”表中列出评估人员：每行一人，“{name}”列填姓名，"
        "“{role}”列从下拉列表中选择角色（{roles}），角色可以留空。"
    ),
    "instructions.step.tailoring": (
        "5. 在“{tailoring}”表中标记不适用于受评组织的部分：在“{tailored}”列"
        "选择“{yes}”，并在“{reason}”列填写理由。被裁剪部分的要求不再评分，"
        "其评分留空。"
    ),
    "instructions.step.rows": (
        "请勿修改“{id}”列和表头，也不要在“{ratings}”表中增删行；"
        "加粗的行是模型的分组及其进度。"
    ),
    "instructions.progress": (
        "进度是已评要求占应评要求的比例（被裁剪的部分不计入），"
        "随评分的填写自动更新。"
    ),
    "instructions.rubric": "评分标准：{rubric}",
    "instructions.rubric.unnamed": "评分标准",
    "instructions.rubric.requirements": "适用于 {count} 条要求",
    "instructions.rating": "评分",
    "instructions.value": "分值",
    "instructions.id": "编号",
    "instructions.na": "不适用：不计分",
    "dropdown.error": "请从列表中选择：{labels}（留空：尚未评估）",
    "dropdown.choose": "请从列表中选择",
}

_DE: Final = {
    "sheet.instructions": "Anleitung",
    "sheet.ratings": "Bewertungen",
    "sheet.metadata": "Angaben",
    "sheet.assessors": "Bewerter",
    "sheet.tailoring": "Zuschnitt",
    "column.id": "Kennung",
    "column.item": "Punkt",
    "column.level": "Stufe",
    "column.requirement": "Anforderung",
    "column.rating": "Bewertung",
    "column.evidence": "Nachweise",
    "column.note": "Anmerkung",
    "column.assessor": "Bewerter",
    "column.field": "Feld",
    "column.value": "Wert",
    "column.name": "Name",
    "column.role": "Rolle",
    "column.node": "Knoten",
    "column.title": "Bezeichnung",
    "column.tailored": "ausgenommen",
    "column.reason": "Begründung",
    "column.tailoring_node": "ausgenommener Knoten",
    "column.tailoring_reason": "Begründung der Ausnahme",
    "field.pack": "Modellpaket",
    "field.pack_version": "Paketversion",
    "field.profile": "Profil",
    "field.rule": "Stufenregel",
    "field.organisation": "Organisation",
    "field.date": "Datum",
    "field.mode": "Art",
    "field.assessors": "Bewerterliste",
    "field.notes": "Bemerkungen",
    "mode.self": "Selbstbewertung",
    "mode.external": "Fremdbewertung",
    "role.lead": "Leitung",
    "role.member": "Mitglied",
    "mark.yes": "ja",
    "progress.overall": "Fortschritt gesamt (bewertet / zu bewerten)",
    "progress.group": "Fortschritt (bewertet / zu bewerten)",
    "progress.tailored": "ausgenommen",
    "text.original": "[Original, {language}]",
    "instructions.title": "So füllen Sie diesen Fragebogen aus",
    "instructions.pack": "Standard: {title}",
    "instructions.steps": "Schritte",
    "instructions.step.ratings": (
        "1. Wählen Sie im Blatt „{ratings}“ für jede Anforderung eine "
        "Bewertung aus der Auswahlliste der Spalte „{rating}“. Noch nicht "
        "bewertete Anforderungen bleiben leer."
    ),
    "instructions.step.evidence": (
        "2. Tragen Sie die gesehenen Nachweise in „{evidence}“ ein (einer "
        "je Zeile) und alles Weitere in „{note}“."
    ),
    "instructions.step.metadata": (
        "3. Füllen Sie im Blatt „{metadata}“ die Organisation, das Datum "
        "(JJJJ-MM-TT) und die Art aus; Paket, Version und Profil bleiben "
        "unverändert."
    ),
    "instructions.step.assessors": (
        "4. Führen Sie im Blatt „{assessors}“ die Bewerter auf: einen je "
        "Zeile, den Namen in „{name}“ und die Rolle ({roles}) aus der "
        "Auswahlliste in „{role}“; die Rolle darf leer bleiben."
    ),
    "instructions.step.tailoring": (
        "5. Markieren Sie im Blatt „{tailoring}“ einen Teil des Modells, "
        "der für die Organisation nicht gilt: wählen Sie „{yes}“ in "
        "„{tailored}“ und geben Sie die Begründung in „{reason}“ an. Seine "
        "Anforderungen werden dann nicht bewertet; lassen Sie sie leer."
    ),
    "instructions.step.rows": (
        "Ändern Sie weder die Spalte „{id}“ noch die Kopfzeilen, und fügen "
        "Sie im Blatt „{ratings}“ keine Zeilen ein oder löschen Sie sie; "
        "die fett gedruckten Zeilen sind die Gruppen des Modells mit ihrem "
        "Fortschritt."
    ),
    "instructions.progress": (
        "Der Fortschritt ist der Anteil der bewerteten an den zu "
        "bewertenden Anforderungen (ausgenommene Teile zählen nicht); er "
        "ändert sich, während Sie die Bewertungen ausfüllen."
    ),
    "instructions.rubric": "Bewertungen: {rubric}",
    "instructions.rubric.unnamed": "Bewertungen",
    "instructions.rubric.requirements": "gilt für {count} Anforderungen",
    "instructions.rating": "Bewertung",
    "instructions.value": "Wert",
    "instructions.id": "Kennung",
    "instructions.na": "nicht anwendbar: zählt nicht",
    "dropdown.error": (
        "Wählen Sie eines von: {labels} (leer: noch nicht bewertet)"
    ),
    "dropdown.choose": "Wählen Sie aus der Liste",
}

#: Language → key → text.
CATALOGUE: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "en": MappingProxyType(_EN),
        "zh": MappingProxyType(_ZH),
        "de": MappingProxyType(_DE),
    }
)


def catalogue_language(lang: str) -> str:
    """
    The catalogue language that serves *lang*: itself, one with the same
    primary subtag (``zh-Hans`` is served by ``zh``), else English.
    """
    if lang in CATALOGUE:
        return lang
    primary = lang.split("-", 1)[0].lower()
    return primary if primary in CATALOGUE else FALLBACK


def message(key: str, lang: str, **values: object) -> str:
    """
    The text of *key* in *lang* (English where the catalogue lacks the
    language), with *values* filled in.

    Raises:
        KeyError: If the catalogue has no such key.
    """
    text = CATALOGUE[catalogue_language(lang)][key]
    return text.format(**values) if values else text


def spellings(key: str) -> tuple[str, ...]:
    """*key*'s text in every catalogue language, English first."""
    return tuple(dict.fromkeys(CATALOGUE[lang][key] for lang in CATALOGUE))
