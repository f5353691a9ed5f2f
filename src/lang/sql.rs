//! The SQL frontend: schema files and migrations (`*.sql`). Each table becomes a type whose
//! fields are its columns, so columns are classified like any other field; the table name and
//! its foreign keys ride along as traits (`table:users`, `fk:users:cascade`) for the stores
//! analysis. Parsing is `stores::sql` (sqlparser, several dialects); statements it cannot read
//! are noted, and the rest of the file is still read.

use super::{Frontend, ParseError};
use crate::ir::{FieldDef, FileFacts, Language, TypeDef};
use crate::stores::sql::{OnDelete, parse_file};

pub struct SqlFrontend;

impl Frontend for SqlFrontend {
    fn language(&self) -> Language {
        Language::Sql
    }

    fn facts(&self, source: &str) -> Result<FileFacts, ParseError> {
        let schema = parse_file(source);
        let mut facts = FileFacts::default();
        // Tables created here first; columns added later by `ALTER TABLE` belong to the table
        // wherever it was created, so those come as partial definitions.
        let (created, altered): (Vec<_>, Vec<_>) = schema.tables.iter().partition(|t| t.created);
        for (table, is_created) in created
            .into_iter()
            .map(|t| (t, true))
            .chain(altered.into_iter().map(|t| (t, false)))
        {
            let mut traits = vec![
                if is_created { "sql:table" } else { "sql:alter" }.to_string(),
                format!("table:{}", table.name),
            ];
            for fk in &table.foreign_keys {
                let action = match fk.on_delete {
                    Some(OnDelete::Cascade) => "cascade",
                    Some(OnDelete::SetNull) => "set-null",
                    Some(OnDelete::SetDefault) => "set-default",
                    Some(OnDelete::Restrict) => "restrict",
                    Some(OnDelete::NoAction) | None => "no-action",
                };
                traits.push(format!("fk:{}:{action}", fk.references));
            }
            facts.types.push(TypeDef {
                name: table.name.clone(),
                span: table.span,
                extent: table.span,
                fields: table
                    .columns
                    .iter()
                    .map(|c| FieldDef {
                        name: c.name.clone(),
                        ty: c.ty.clone(),
                        span: c.span,
                    })
                    .collect(),
                traits,
            });
        }
        facts.notes = schema
            .problems
            .iter()
            .take(3)
            .map(|p| format!("a statement could not be read as SQL: {p}"))
            .collect();
        Ok(facts)
    }
}
