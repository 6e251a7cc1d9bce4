//! Strava's bulk export lists every activity in `activities.csv` with the
//! athlete's own name and type for it. The header repeats column names
//! ("Elapsed Time", "Distance" appear twice), so columns are found by their
//! first occurrence, falling back to their classic positions.

use std::collections::HashMap;

/// What `activities.csv` says about one activity file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StravaMeta {
    pub name: Option<String>,
    pub activity_type: Option<String>,
}

/// Classic column positions in Strava's export.
const NAME_COL: usize = 2;
const TYPE_COL: usize = 3;
const FILENAME_COL: usize = 12;

/// What `activities.csv` says, and what of it could not be read.
#[derive(Debug, Default)]
pub struct Index {
    /// From the activity file's path (relative to the CSV's folder, `/`
    /// separated, as Strava writes it) to its metadata.
    pub rows: HashMap<String, StravaMeta>,
    /// Rows (or the header) the CSV reader rejected, and the first error.
    pub malformed: usize,
    pub first_error: Option<String>,
}

impl Index {
    /// Why some of the index was not used, when some of it was not.
    pub fn malformed(&self) -> Option<String> {
        let first = self.first_error.as_deref()?;
        let rows = if self.malformed == 1 { "1 row".to_owned() } else { format!("{} rows", self.malformed) };
        Some(format!(
            "{rows} of Strava's activity index could not be read ({first}): those activities keep the names and sports in their files"
        ))
    }

    fn reject(&mut self, e: &csv::Error) {
        self.malformed += 1;
        if self.first_error.is_none() {
            self.first_error = Some(e.to_string());
        }
    }
}

pub fn parse_activities_csv(bytes: &[u8]) -> Index {
    let mut index = Index::default();
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(bytes);
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            index.reject(&e);
            return index;
        }
    };
    let column = |title: &str, fallback: usize| headers.iter().position(|h| h.trim() == title).unwrap_or(fallback);
    let (name_col, type_col, file_col) =
        (column("Activity Name", NAME_COL), column("Activity Type", TYPE_COL), column("Filename", FILENAME_COL));
    let non_empty = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                index.reject(&e);
                continue;
            }
        };
        let Some(file) = non_empty(row.get(file_col)) else { continue };
        let meta = StravaMeta { name: non_empty(row.get(name_col)), activity_type: non_empty(row.get(type_col)) };
        index.rows.insert(file, meta);
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_headers_and_quoted_commas() {
        let csv = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance\n\
                   1,\"Jan 1, 2024, 7:00:00 AM\",\"Easy, slow\",Run,,3600,10.0,150,,false,,,activities/1.fit.gz,,,3600,3500,10000.0\n\
                   2,\"Jan 2, 2024, 7:00:00 AM\",Yoga,Yoga,,1800,0,,,false,,,,,,1800,1800,0\n";
        let index = parse_activities_csv(csv.as_bytes());
        assert!(index.malformed().is_none());
        let map = index.rows;
        assert_eq!(map.len(), 1);
        let meta = &map["activities/1.fit.gz"];
        assert_eq!(meta.name.as_deref(), Some("Easy, slow"));
        assert_eq!(meta.activity_type.as_deref(), Some("Run"));
    }

    #[test]
    fn malformed_csv_rows_are_counted_not_swallowed() {
        // Invalid UTF-8 in a row: the CSV reader rejects that row only.
        let mut csv = b"Activity ID,Activity Name,Activity Type,Filename\n1,Easy,Run,activities/1.gpx\n2,".to_vec();
        csv.extend_from_slice(b"\xff\xfe,Run,activities/2.gpx\n3,Long,Run,activities/3.gpx\n");
        let index = parse_activities_csv(&csv);
        assert_eq!(index.rows.len(), 2);
        let why = index.malformed().expect("the bad row is reported");
        assert!(why.starts_with("1 row of Strava's activity index could not be read"), "{why}");
    }
}
