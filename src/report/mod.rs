//! What a person reads: the HTML report, the terminal summary and the
//! findings sentences behind both.

pub mod findings;
pub mod html;
pub mod load_findings;
mod load_section;
pub mod nothing;
mod predictions_section;
pub mod progression_findings;
pub mod recovery_findings;
pub mod terminal;

/// "1 file", "3 files".
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
