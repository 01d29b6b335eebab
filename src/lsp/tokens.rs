//! Semantic tokens: the language service's tokens (`Analysis::tokens`) in
//! the protocol's relative encoding, so that editors without the TextMate
//! grammar (Neovim, Helix, Emacs) colour both keyword sets too.

use super::convert::Mapper;
use crate::service::{Analysis, TokenKind};
use lsp_types as lsp;

/// The one modifier: a name where it is declared.
const DECLARATION: u32 = 1;

/// The legend: the protocol's token types the kinds map to, each once, in
/// the order of `TokenKind::ALL`.
pub fn legend() -> lsp::SemanticTokensLegend {
    lsp::SemanticTokensLegend {
        token_types: types()
            .into_iter()
            .map(lsp::SemanticTokenType::new)
            .collect(),
        token_modifiers: vec![lsp::SemanticTokenModifier::DECLARATION],
    }
}

fn types() -> Vec<&'static str> {
    let mut types: Vec<&'static str> = Vec::new();
    for kind in TokenKind::ALL {
        if !types.contains(&kind.lsp_type()) {
            types.push(kind.lsp_type());
        }
    }
    types
}

/// Every token of the document, each relative to the one before it, with
/// columns and lengths in the encoding agreed with the editor.
pub fn encode(analysis: &Analysis, m: &Mapper) -> Vec<lsp::SemanticToken> {
    let types = types();
    let mut out = Vec::new();
    let (mut line, mut column) = (0, 0);
    for t in analysis.tokens() {
        let start = m.at(t.span.start);
        let end = m.at(t.span.end);
        // A token never spans a line break (the service's promise); one
        // that did would be dropped rather than coloured wrongly.
        if end.line != start.line || end.character <= start.character {
            continue;
        }
        let Some(ty) = types.iter().position(|&n| n == t.kind.lsp_type()) else {
            continue;
        };
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 {
            start.character - column
        } else {
            start.character
        };
        out.push(lsp::SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: u32::try_from(ty).unwrap_or(0),
            token_modifiers_bitset: if t.declaration { DECLARATION } else { 0 },
        });
        (line, column) = (start.line, start.character);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::convert::Encoding;

    fn decode(text: &str, encoding: Encoding) -> Vec<(u32, u32, u32, String)> {
        let a = Analysis::new(text);
        let m = Mapper {
            text: a.text(),
            lines: a.lines(),
            encoding,
        };
        let names = types();
        let (mut line, mut column) = (0, 0);
        encode(&a, &m)
            .into_iter()
            .map(|t| {
                if t.delta_line > 0 {
                    column = 0;
                }
                line += t.delta_line;
                column += t.delta_start;
                let ty = names[t.token_type as usize].to_string();
                (line, column, t.length, ty)
            })
            .collect()
    }

    #[test]
    fn the_legend_names_each_type_once() {
        let l = legend();
        let mut seen = l.token_types.clone();
        seen.dedup();
        assert_eq!(seen.len(), l.token_types.len());
        assert!(l.token_types.contains(&lsp::SemanticTokenType::KEYWORD));
    }

    #[test]
    fn a_chinese_line_in_utf16_and_utf8() {
        let text = "考核表 \"示例\" {\n  年度 2024\n}\n";
        // `年度` on line 1 after two spaces: a keyword, 2 UTF-16 units or
        // 6 bytes long; `2024` a number after it.
        let u16 = decode(text, Encoding::Utf16);
        assert!(u16.contains(&(1, 2, 2, "keyword".into())), "{u16:?}");
        assert!(u16.contains(&(1, 5, 4, "number".into())), "{u16:?}");
        let u8 = decode(text, Encoding::Utf8);
        assert!(u8.contains(&(1, 2, 6, "keyword".into())), "{u8:?}");
        assert!(u8.contains(&(1, 9, 4, "number".into())), "{u8:?}");
        // The title: `考核表` a keyword of 3 units at the start.
        assert_eq!(u16.first(), Some(&(0, 0, 3, "keyword".into())));
    }
}
