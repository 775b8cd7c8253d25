//! The lifecycle records of every document, read from the commits' trailers in one walk of the
//! history: periodic reviews, retirements and controlled copies.

use jiff::civil::Date;

use super::copies;
use crate::doc::Status;

/// How an SOP was withdrawn, as `sopctl retire` recorded it in git.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retirement {
    /// `superseded` or `obsolete`.
    pub status: Status,
    /// The SOP that replaces it, for `superseded`.
    pub superseded_by: Option<String>,
    /// The commit that recorded it (hex id).
    pub commit: String,
    /// The reason given (`sopctl retire --reason`): the commit message's text after its
    /// subject line.
    pub reason: String,
    /// When it was recorded: the commit's time, in seconds since the epoch.
    pub time: i64,
}

/// A periodic review as `sopctl review` recorded it (SPEC §8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The day of the review (`Review-Date`).
    pub date: Date,
    /// Who reviewed it (`Review-By`: `Name <email>`).
    pub by: String,
    /// The reviewer's note: the commit message's text after its subject line.
    pub note: String,
    /// The commit that records it (hex id).
    pub commit: String,
}

/// The commit message that records a periodic review of document `id` on `date` by `by`,
/// with the reviewer's `note` as its text: the subject `{id}: periodic review`, the note, and
/// the trailers `Review-Document`, `Review-Date` and `Review-By` ([`History::read`] reads
/// them back).
pub fn review_message(id: &str, note: &str, date: Date, by: &crate::repo::Identity) -> String {
    format!(
        "{id}: periodic review\n\n{}\n\nReview-Document: {id}\nReview-Date: {date}\nReview-By: {} <{}>\n",
        note.trim(),
        by.name,
        by.email
    )
}

/// The lifecycle records of every document, read from the commits' trailers in one walk of the
/// history (SPEC §8): the periodic reviews (`Review-Document`, `Review-Date`, `Review-By`), the
/// retirement (`Retired-Document`, `Retired-Status`, `Superseded-By`) and the controlled
/// copies (`Copy-Document`, [`copies`]). A retirement stays in force whatever the front matter
/// says later: a retired SOP stays retired.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Each document's reviews, newest first.
    reviews: std::collections::BTreeMap<String, Vec<Review>>,
    retirements: std::collections::BTreeMap<String, Retirement>,
    copies: copies::Register,
}

impl History {
    /// Reads the records; an unreadable history or no repository gives no records.
    pub fn read(repo: Option<&crate::repo::Repo>) -> History {
        let mut history = History::default();
        let Some(repo) = repo else {
            return history;
        };
        let commits = repo
            .commits_with_any_trailer(&["Review-Document", "Retired-Document", copies::DOCUMENT])
            .unwrap_or_default();
        history.copies = copies::Register::from_commits(&commits);
        for c in commits {
            let m = &c.message;
            if let (Some(id), Some(date)) = (
                m.trailer("Review-Document"),
                m.trailer("Review-Date")
                    .and_then(|d| d.parse::<Date>().ok()),
            ) {
                history
                    .reviews
                    .entry(id.to_string())
                    .or_default()
                    .push(Review {
                        date,
                        by: m.trailer("Review-By").unwrap_or("").to_string(),
                        note: m.body().to_string(),
                        commit: c.commit.clone(),
                    });
            }
            if let Some(id) = m.trailer("Retired-Document")
                && let Some(status) = m.trailer("Retired-Status").and_then(Status::parse)
            {
                // Newest first: the first record seen is the one in force.
                history
                    .retirements
                    .entry(id.to_string())
                    .or_insert_with(|| Retirement {
                        status,
                        superseded_by: m.trailer("Superseded-By").map(str::to_string),
                        commit: c.commit.clone(),
                        reason: m.body().to_string(),
                        time: c.time,
                    });
            }
        }
        // Newest first, by the day reviewed (the walk's order for reviews of one day).
        for reviews in history.reviews.values_mut() {
            reviews.sort_by_key(|r| std::cmp::Reverse(r.date));
        }
        history
    }

    /// The date of the last periodic review recorded for document `id`, if any.
    pub fn last_review(&self, id: &str) -> Option<Date> {
        self.reviews(id).first().map(|r| r.date)
    }

    /// Every periodic review recorded for document `id`, newest first.
    pub fn reviews(&self, id: &str) -> &[Review] {
        self.reviews.get(id).map_or(&[], Vec::as_slice)
    }

    /// How document `id` was withdrawn, if it was.
    pub fn retirement(&self, id: &str) -> Option<&Retirement> {
        self.retirements.get(id)
    }

    /// The controlled copies recorded ([`copies::Register`]), read in the same walk; a
    /// command that records a copy reads them again with [`copies::Register::read`], which
    /// reports an unreadable history instead of taking it as empty.
    pub fn copies(&self) -> &copies::Register {
        &self.copies
    }
}
