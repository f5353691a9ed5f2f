//! Renders the picture of `privlint graph` as Mermaid, DOT or JSON.

use crate::erasure::picture::Picture;
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
    Json,
}

pub fn render(picture: &Picture, format: GraphFormat) -> String {
    match format {
        GraphFormat::Mermaid => mermaid(picture),
        GraphFormat::Dot => dot(picture),
        GraphFormat::Json => {
            let mut out = serde_json::to_string_pretty(picture).unwrap_or_default();
            out.push('\n');
            out
        }
    }
}

/// Node ids Mermaid and DOT accept: `n0`, `n1`, ... in the picture's (sorted) order.
fn ids(picture: &Picture) -> BTreeMap<&str, String> {
    picture
        .elements
        .iter()
        .map(|e| e.id.as_str())
        .chain(picture.stores.iter().map(|s| s.id.as_str()))
        .chain(picture.functions.iter().map(|f| f.id.as_str()))
        .enumerate()
        .map(|(i, id)| (id, format!("n{i}")))
        .collect()
}

/// Text inside a quoted Mermaid label: quotes and the characters Mermaid reads as markup are
/// written as entity codes.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn mermaid(picture: &Picture) -> String {
    let ids = ids(picture);
    let mut out = String::from("flowchart LR\n");
    for e in &picture.elements {
        let name = e.id.trim_start_matches("data:");
        let _ = writeln!(
            out,
            "    {}([\"{}<br/>{}\"])",
            ids[e.id.as_str()],
            mermaid_text(name),
            mermaid_text(&e.category)
        );
    }
    for s in &picture.stores {
        let name = s.id.trim_start_matches("store:");
        let _ = writeln!(
            out,
            "    {}[(\"{}<br/>{}\")]",
            ids[s.id.as_str()],
            mermaid_text(name),
            mermaid_text(&s.kind)
        );
    }
    for f in &picture.functions {
        let note = if f.reachable { "" } else { "<br/>unreachable" };
        let _ = writeln!(
            out,
            "    {}[\"{}(){note}\"]",
            ids[f.id.as_str()],
            mermaid_text(&f.name)
        );
    }
    for edge in &picture.edges {
        let arrow = if edge.label == "stored in" {
            "-->"
        } else {
            "-.->"
        };
        let _ = writeln!(
            out,
            "    {} {arrow}|{}| {}",
            ids[edge.from.as_str()],
            mermaid_text(&edge.label),
            ids[edge.to.as_str()]
        );
    }
    out
}

/// A DOT string literal.
fn dot_text(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

fn dot(picture: &Picture) -> String {
    let ids = ids(picture);
    let mut out = String::from("digraph privlint {\n    rankdir=LR;\n");
    for e in &picture.elements {
        let label = format!("{}\n{}", e.id.trim_start_matches("data:"), e.category);
        let _ = writeln!(
            out,
            "    {} [shape=ellipse, label={}];",
            ids[e.id.as_str()],
            dot_text(&label)
        );
    }
    for s in &picture.stores {
        let label = format!("{}\n{}", s.id.trim_start_matches("store:"), s.kind);
        let _ = writeln!(
            out,
            "    {} [shape=cylinder, label={}];",
            ids[s.id.as_str()],
            dot_text(&label)
        );
    }
    for f in &picture.functions {
        let label = if f.reachable {
            format!("{}()", f.name)
        } else {
            format!("{}()\nunreachable", f.name)
        };
        let _ = writeln!(
            out,
            "    {} [shape=box, label={}];",
            ids[f.id.as_str()],
            dot_text(&label)
        );
    }
    for edge in &picture.edges {
        let style = if edge.label == "stored in" {
            "solid"
        } else {
            "dashed"
        };
        let _ = writeln!(
            out,
            "    {} -> {} [label={}, style={style}];",
            ids[edge.from.as_str()],
            ids[edge.to.as_str()],
            dot_text(&edge.label)
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::erasure::picture::{Edge, ElementNode, FunctionNode, StoreNode};

    fn sample() -> Picture {
        Picture {
            elements: vec![ElementNode {
                id: "data:email".into(),
                category: "user.contact.email".into(),
            }],
            stores: vec![StoreNode {
                id: "store:users\"<x>".into(),
                kind: "Django model".into(),
                defined_at: "app/models.py:3".into(),
            }],
            functions: vec![FunctionNode {
                id: "fn:app/views.py:erase".into(),
                name: "erase".into(),
                defined_at: "app/views.py:9".into(),
                reachable: false,
            }],
            edges: vec![
                Edge {
                    from: "data:email".into(),
                    to: "store:users\"<x>".into(),
                    label: "stored in".into(),
                },
                Edge {
                    from: "fn:app/views.py:erase".into(),
                    to: "store:users\"<x>".into(),
                    label: "deletes".into(),
                },
            ],
        }
    }

    #[test]
    fn mermaid_escapes_labels_and_uses_plain_ids() {
        let text = render(&sample(), GraphFormat::Mermaid);
        assert!(text.starts_with("flowchart LR\n"));
        assert!(
            text.contains("n1[(\"users#quot;#lt;x#gt;<br/>Django model\")]"),
            "{text}"
        );
        assert!(text.contains("n0 -->|stored in| n1"), "{text}");
        assert!(text.contains("n2 -.->|deletes| n1"), "{text}");
        assert!(text.contains("unreachable"));
    }

    #[test]
    fn dot_escapes_quotes() {
        let text = render(&sample(), GraphFormat::Dot);
        assert!(
            text.contains("label=\"users\\\"<x>\\nDjango model\""),
            "{text}"
        );
        assert!(text.trim_end().ends_with('}'));
    }
}
