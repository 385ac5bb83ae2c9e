// Package resultdoc writes a gate result — terminal text, JSON, Markdown
// (a step summary or a check run's output, within a size budget) and SARIF
// 2.1.0 (code scanning) — and the rule catalog (docs/rules.md). Formats and
// RuleFormats are the registries that say which formats exist.
package resultdoc
