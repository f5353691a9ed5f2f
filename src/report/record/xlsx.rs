//! The record as an Excel workbook (`rust_xlsxwriter`): the record's rows (one per purpose ×
//! data category) on the first sheet, then the elements, recipients, stores and open findings,
//! each sheet with a header row that stays in view and a filter.

use crate::record::Record;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

fn sheet(
    workbook: &mut Workbook,
    name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_background_color(0x00DD_E6F0)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let ws: &mut Worksheet = workbook.add_worksheet();
    ws.set_name(name)?;
    for (c, h) in headers.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(0, c, *h, &header)?;
        ws.set_column_width(c, 22)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, value) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            // Strings are written as strings: nothing from a data map becomes a formula.
            ws.write_string_with_format(r, c, value, &wrapped)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let last_col = u16::try_from(headers.len().saturating_sub(1)).unwrap_or(0);
    ws.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

pub fn render(record: &Record) -> Result<Vec<u8>, String> {
    build(record).map_err(|e| format!("cannot write the workbook: {e}"))
}

fn build(record: &Record) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    sheet(
        &mut workbook,
        "Record",
        super::COLUMNS,
        &super::rows(record),
    )?;
    let join = |v: &[String]| v.join(", ");
    let elements: Vec<Vec<String>> = record
        .elements
        .iter()
        .map(|e| {
            vec![
                e.system.clone(),
                e.key.clone(),
                e.category_name.clone(),
                e.category.clone(),
                super::yes_no(e.special).into(),
                join(&e.subjects),
                e.source.clone().unwrap_or_default(),
                join(&e.purposes),
                join(&e.stores),
                join(&e.recipients),
                e.evidence.len().to_string(),
            ]
        })
        .collect();
    sheet(
        &mut workbook,
        "Personal data",
        &[
            "System",
            "Element",
            "Category",
            "Category key",
            "Special category",
            "Subjects",
            "Source",
            "Purposes",
            "Stores",
            "Recipients",
            "Places in code",
        ],
        &elements,
    )?;
    let recipients: Vec<Vec<String>> = record
        .recipients
        .iter()
        .map(|r| {
            vec![
                r.system.clone(),
                r.key.clone(),
                r.name.clone(),
                r.kind.clone().unwrap_or_default(),
                r.country.clone().unwrap_or_default(),
                super::yes_no(r.transfer).into(),
                r.safeguard.clone().unwrap_or_default(),
                r.processor_contract.clone().unwrap_or_default(),
                join(&r.purposes),
                join(&r.data),
                super::yes_no(r.declared).into(),
            ]
        })
        .collect();
    sheet(
        &mut workbook,
        "Recipients",
        &[
            "System",
            "Recipient",
            "Name",
            "Kind",
            "Country",
            "Transfer abroad",
            "Safeguard",
            "Processor contract",
            "Purposes",
            "Data",
            "In the data map",
        ],
        &recipients,
    )?;
    let stores: Vec<Vec<String>> = record
        .stores
        .iter()
        .map(|s| {
            vec![
                s.system.clone(),
                s.key.clone(),
                s.location.clone().unwrap_or_default(),
                join(&s.data),
                s.retention.clone().unwrap_or_default(),
                s.retention_enforced
                    .map(|b| super::yes_no(b).to_string())
                    .unwrap_or_default(),
                s.erasure.clone(),
                join(&s.erasure_entry_points),
                s.erased_by
                    .iter()
                    .map(|e| e.permalink.clone().unwrap_or_else(|| e.location.clone()))
                    .collect::<Vec<_>>()
                    .join("\n"),
                super::yes_no(s.declared).into(),
            ]
        })
        .collect();
    sheet(
        &mut workbook,
        "Stores",
        &[
            "System",
            "Store",
            "Location",
            "Data",
            "Retention",
            "Purge job found",
            "Erasure",
            "Erasure entry points",
            "Erased by",
            "In the data map",
        ],
        &stores,
    )?;
    let findings: Vec<Vec<String>> = record
        .findings
        .iter()
        .flat_map(|g| {
            g.items.iter().map(|f| {
                vec![
                    f.system.clone(),
                    g.title.clone(),
                    f.severity.clone(),
                    f.message.clone(),
                    f.permalink.clone().unwrap_or_else(|| f.location.clone()),
                    f.fix.clone(),
                ]
            })
        })
        .collect();
    sheet(
        &mut workbook,
        "Open findings",
        &["System", "Finding", "Severity", "What", "Where", "Fix"],
        &findings,
    )?;
    let about: Vec<Vec<String>> = vec![
        vec!["Generated at".into(), record.generated_at.clone()],
        vec!["privlint".into(), record.privlint_version.clone()],
        vec![
            "Systems".into(),
            record
                .systems
                .iter()
                .map(|s| match &s.commit {
                    Some(c) => format!("{} @ {c}", s.name),
                    None => s.name.clone(),
                })
                .collect::<Vec<_>>()
                .join(", "),
        ],
    ];
    sheet(&mut workbook, "About", &["", ""], &about)?;
    workbook.save_to_buffer()
}
