//! The revision-history table against the release records (SPEC §3): each release up to the
//! file's own has a row, and each row of a release sopctl made shows that release's date,
//! summary, author (and approvals, when the table has the column). The row of an adopted
//! release was written before sopctl and kept as written, so it must stay as the adopted release
//! had it; rows of releases by other tools are only looked for.

use crate::doc::Sop;
use crate::doc::revision_table;
use crate::repo::ReleaseRecord;

/// Whether two rows show the same cells, a column the table gained or lost since (the
/// approvals, added when a document first lists `approvers`) counting as the `-` that release
/// writes into a kept row's new cell.
fn same_cells(mut a: Vec<String>, mut b: Vec<String>) -> bool {
    let width = a.len().max(b.len());
    a.resize(width, "-".to_string());
    b.resize(width, "-".to_string());
    a == b
}

/// What is wrong with the table of `sop`, which should show the releases `shown` (oldest first)
/// and none of `later` (releases made after the file was released), in plain words.
/// `as_released` gives an adopted release's row as that release's own file has it.
pub fn problems(
    sop: &Sop,
    shown: &[ReleaseRecord],
    later: &[ReleaseRecord],
    as_released: &dyn Fn(&ReleaseRecord) -> Option<revision_table::Row>,
) -> Vec<String> {
    if shown.is_empty() {
        return Vec::new();
    }
    problems_in(
        revision_table::find(sop).as_ref(),
        shown,
        later,
        as_released,
    )
}

/// As [`problems`], for a file whose revision-history section was already found (`None`: it
/// has none).
pub fn problems_in(
    section: Option<&revision_table::Section>,
    shown: &[ReleaseRecord],
    later: &[ReleaseRecord],
    as_released: &dyn Fn(&ReleaseRecord) -> Option<revision_table::Row>,
) -> Vec<String> {
    if shown.is_empty() {
        return Vec::new();
    }
    let Some(section) = section else {
        return vec!["the file has no Revision History section".to_string()];
    };
    let entries = crate::release::plan::history_entries(shown);
    let mut out = Vec::new();
    for (record, entry) in shown.iter().zip(&entries) {
        let Some(row) = section
            .rows
            .iter()
            .find(|row| row.version.as_ref() == Some(&record.version))
        else {
            out.push(format!(
                "the revision history has no row for the release {}",
                record.version
            ));
            continue;
        };
        if record.adopted {
            let shows = |r: &revision_table::Row| {
                r.cells
                    .iter()
                    .map(|c| revision_table::cell_text(c))
                    .collect::<Vec<_>>()
            };
            if let Some(kept) = as_released(record)
                && !same_cells(shows(&kept), shows(row))
            {
                out.push(format!(
                    "the revision history's row for {} reads \"{}\", but the release that adopted the SOP kept it as \"{}\"",
                    record.version,
                    shows(row).join(" | "),
                    shows(&kept).join(" | ")
                ));
            }
            continue;
        }
        if !record.by_sopctl {
            continue;
        }
        for d in revision_table::row_differences(row, entry) {
            out.push(format!(
                "the revision history shows {} as \"{}\" for {}, but the release record says \"{}\"",
                d.column.to_lowercase(),
                d.row,
                record.version,
                d.record
            ));
        }
    }
    for record in later {
        if section
            .rows
            .iter()
            .any(|row| row.version.as_ref() == Some(&record.version))
        {
            out.push(format!(
                "the revision history has a row for {}, which was released later",
                record.version
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::same_cells;

    fn cells(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_kept_row_may_gain_the_approvals_column_as_a_dash() {
        let kept = cells(&["1.0", "2025-10-08", "First", "-"]);
        assert!(same_cells(
            kept.clone(),
            cells(&["1.0", "2025-10-08", "First", "-", "-"])
        ));
        assert!(!same_cells(
            kept.clone(),
            cells(&["1.0", "2025-10-08", "First", "-", "Dana"])
        ));
        assert!(!same_cells(
            kept,
            cells(&["1.0", "2025-10-09", "First", "-", "-"])
        ));
    }
}
