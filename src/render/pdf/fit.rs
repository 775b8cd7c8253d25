//! Total-fit line breaking: the breaks of a paragraph chosen together, as Knuth and Plass's
//! algorithm does ("Breaking Paragraphs into Lines", 1981), for ragged-right text: among every
//! way to break it into lines that fit, the one whose lines leave the least room unfilled,
//! counted as the sum of the squares of each line's slack (the last line's is free), with a
//! penalty for ending a line with a hyphen. A greedy breaker fills each line as full as it
//! can and leaves the next one short; this evens them out.

/// A piece of text between two break opportunities, widths in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    /// Its width without its trailing white space.
    pub content: f32,
    /// The width of its trailing white space (not drawn at a line's end).
    pub trailing: f32,
    /// The width of the hyphen drawn when a line ends after it (a soft hyphen), else 0.
    pub hyphen: f32,
}

/// How much a line ending with a hyphen costs, as the square of this share of the line's
/// width: a hyphen is made only where it evens the lines out by more.
const HYPHEN_PENALTY_SHARE: f32 = 0.12;

/// The best breaks of `pieces` into lines at most `width` points wide: the index after the
/// last piece of each line, ascending, the last one `pieces.len()`. `None` when a piece alone
/// is wider than `width` (the caller splits it), or there are no pieces.
#[allow(
    clippy::indexing_slicing,
    reason = "`best` and `from` have one entry per break position 0..=n, and i < j <= n"
)]
pub fn total_fit(pieces: &[Piece], width: f32) -> Option<Vec<usize>> {
    let n = pieces.len();
    if n == 0 || pieces.iter().any(|p| p.content + p.hyphen > width + 0.01) {
        return None;
    }
    let penalty = (HYPHEN_PENALTY_SHARE * width).powi(2);
    let mut best = vec![f32::INFINITY; n + 1];
    let mut from = vec![0usize; n + 1];
    best[0] = 0.0;
    for j in 1..=n {
        let last = pieces[j - 1];
        // The line of pieces i..j, built backwards from its last piece.
        let mut line = last.content + last.hyphen;
        for i in (0..j).rev() {
            if i < j - 1 {
                line += pieces[i].content + pieces[i].trailing;
            }
            if line > width + 0.01 {
                break;
            }
            let cost = if j == n {
                0.0
            } else {
                let slack = width - line;
                slack * slack + if last.hyphen > 0.0 { penalty } else { 0.0 }
            };
            if best[i] + cost < best[j] {
                best[j] = best[i] + cost;
                from[j] = i;
            }
        }
    }
    let mut breaks = Vec::new();
    let mut j = n;
    while j > 0 {
        breaks.push(j);
        j = from[j];
    }
    breaks.reverse();
    Some(breaks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(widths: &[f32]) -> Vec<Piece> {
        widths
            .iter()
            .map(|w| Piece {
                content: *w,
                trailing: 1.0,
                hyphen: 0.0,
            })
            .collect()
    }

    #[test]
    fn the_lines_are_evened_out_where_greedy_fills_the_first() {
        // Width 12, spaces 1 wide. Greedy: [1 3 2 3] (12, slack 0), [7] (slack 5), [5]: 25.
        // Total-fit: [1 3 2] (8, slack 4), [3 7] (11, slack 1), [5]: 16 + 1 = 17.
        let pieces = words(&[1.0, 3.0, 2.0, 3.0, 7.0, 5.0]);
        assert_eq!(total_fit(&pieces, 12.0), Some(vec![3, 5, 6]));
        // Where greedy is best it is kept: [5 2] (8, slack 2), [6 3] (the last line, free).
        let pieces = words(&[5.0, 2.0, 6.0, 3.0]);
        assert_eq!(total_fit(&pieces, 10.0), Some(vec![2, 4]));
        // The last line costs nothing, however short.
        let pieces = words(&[1.0, 1.0, 1.0, 1.0, 1.0, 9.0]);
        assert_eq!(total_fit(&pieces, 10.0), Some(vec![5, 6]));
    }

    #[test]
    fn a_hyphen_is_made_only_where_it_pays_and_a_piece_too_wide_is_the_callers() {
        // "50 30-|20": one line of 102 holds it all; no hyphen is made.
        let hyphenated = Piece {
            content: 30.0,
            trailing: 0.0,
            hyphen: 3.0,
        };
        let mut pieces = words(&[50.0, 30.0, 20.0]);
        pieces[1] = hyphenated;
        assert_eq!(total_fit(&pieces, 102.0), Some(vec![3]));
        // Width 90: breaking at the space leaves 40 points on the first line (1600); breaking
        // at the hyphen ("50 30-", 84) leaves 6 (36) plus the penalty (116.6): it is taken.
        let pieces = [words(&[50.0])[0], hyphenated, words(&[20.0])[0]];
        assert_eq!(total_fit(&pieces, 90.0), Some(vec![2, 3]));
        assert_eq!(total_fit(&words(&[11.0]), 10.0), None);
        assert_eq!(total_fit(&[], 10.0), None);
    }
}
