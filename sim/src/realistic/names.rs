//! Activity names as runners and their apps write them: plain names in
//! seven languages (what `named_kind` records), the apps' default names
//! ("Evening Run", "Lausanne Running"), and names that mislead a substring
//! match ("Going to the race" on an easy jog, "Course à pied" = running).

use crate::athlete::{Rng, RunKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    English,
    German,
    French,
    Spanish,
    Italian,
    Dutch,
    Portuguese,
}

/// Names that say plainly what the run was, per language and kind.
fn plain(language: Language, kind: RunKind) -> &'static [&'static str] {
    use Language::{Dutch, English, French, German, Italian, Portuguese, Spanish};
    use RunKind::{Easy, Intervals, Long, Progression, Race, Tempo};
    match (language, kind) {
        (English, Easy) => &["Easy run", "Easy", "Recovery run", "Easy 8k", "Z2 run", "Easy + strides"],
        (English, Long) => &["Long Run", "Sunday long run", "Long run 25k"],
        (English, Intervals) => &["Intervals 6x800", "Track 5x1000", "Repeats 10x400", "Fartlek"],
        (English, Tempo) => &["Tempo run", "Threshold 3x10'", "Tempo"],
        (English, Progression) => &["Progression run", "Progressive long run"],
        (English, Race) => &["Race day", "Race"],
        (German, Easy) => &["Lockerer Dauerlauf", "Locker", "Regenerationslauf", "GA1", "Lockerer Lauf"],
        (German, Long) => &["Lange Einheit", "Langer Lauf", "Langer Dauerlauf"],
        (German, Intervals) => &["Intervalle 5x1000", "Bahntraining 10x400", "Intervalle"],
        (German, Tempo) => &["Tempodauerlauf", "Schwellenlauf"],
        (German, Progression) => &["Steigerungslauf", "Endbeschleunigung"],
        (German, Race) => &["Wettkampf", "Volkslauf"],
        (French, Easy) => &["Footing", "Footing tranquille", "Récupération", "Footing avant la course"],
        (French, Long) => &["Sortie longue", "Sortie longue en montagne"],
        (French, Intervals) => &["Fractionné 10x400", "VMA 8x30/30", "Fractionné"],
        (French, Tempo) => &["Seuil 2x15'", "Tempo au seuil"],
        (French, Progression) => &["Progressif", "Footing progressif"],
        (French, Race) => &["Compétition", "Jour de course"],
        (Spanish, Easy) => &["Rodaje suave", "Rodaje", "Regenerativo", "Rodaje post-carrera"],
        (Spanish, Long) => &["Tirada larga", "Tirada larga domingo"],
        (Spanish, Intervals) => &["Series 8x400", "Series 5x1000", "Series"],
        (Spanish, Tempo) => &["Umbral", "Ritmo umbral 20'"],
        (Spanish, Progression) => &["Progresivo", "Rodaje progresivo"],
        (Spanish, Race) => &["Competición", "Día de carrera"],
        (Italian, Easy) => &["Corsa facile", "Corsa leggera", "Z2 <145bpm", "Rigenerante", "Lento"],
        (Italian, Long) => &["Lungo", "Lungo lento", "Lungo domenicale"],
        (Italian, Intervals) => &["Ripetute 6x1000", "Ripetute di velocità", "Ripetute in salita", "Ripetute"],
        (Italian, Tempo) => &["Medio", "Corsa a ritmo soglia"],
        (Italian, Progression) => &["Corsa in progressione", "Progressivo"],
        (Italian, Race) => &["Gara", "Gara podistica"],
        (Dutch, Easy) => &["Duurloop", "Rustige duurloop", "Herstelloop"],
        (Dutch, Long) => &["Lange duurloop", "Lange loop"],
        (Dutch, Intervals) => &["Intervaltraining 6x800", "Baantraining", "Intervallen"],
        (Dutch, Tempo) => &["Tempoloop", "Drempeltraining"],
        (Dutch, Progression) => &["Progressieve duurloop"],
        (Dutch, Race) => &["Wedstrijd", "Wedstrijddag"],
        (Portuguese, Easy) => &["Corrida leve", "Rodagem", "Regenerativo leve"],
        (Portuguese, Long) => &["Longão", "Treino longo"],
        (Portuguese, Intervals) => &["Intervalado 8x400", "Tiros 6x800"],
        (Portuguese, Tempo) => &["Limiar", "Ritmo de limiar"],
        (Portuguese, Progression) => &["Progressivo leve-forte"],
        (Portuguese, Race) => &["Prova", "Dia de prova"],
        (_, other) => plain(language, category(other)),
    }
}

/// Race names that say the distance, for 5 km, 10 km, half marathon and
/// longer trail races.
fn race_by_distance(language: Language, km: f64) -> &'static [&'static str] {
    use Language::{Dutch, English, French, German, Italian, Portuguese, Spanish};
    let distance = match km {
        k if k < 7.0 => 0,
        k if k < 15.0 => 1,
        k if k < 22.0 => 2,
        _ => 3,
    };
    match (language, distance) {
        (English, 0) => &["5k race", "Parkrun", "Time Trial"],
        (English, 1) => &["10 km race", "10K race"],
        (English, 2) => &["Half Marathon"],
        (German, 0) => &["Wettkampf 5 km", "5-km-Lauf"],
        (German, 1) => &["Stadtlauf 10 km", "10-km-Wettkampf"],
        (German, 2) => &["Halbmarathon"],
        (French, 0) => &["Course 5 km"],
        (French, 1) => &["Course 10 km", "10 km de Lausanne"],
        (French, 2) => &["Semi-marathon"],
        (Spanish, 0) => &["Carrera 5K"],
        (Spanish, 1) => &["Carrera 10K"],
        (Spanish, 2) => &["Media maratón"],
        (Italian, 0) => &["Gara 5 km"],
        (Italian, 1) => &["Gara 10 km", "Diecimila"],
        (Italian, 2) => &["Mezza maratona"],
        (Dutch, 0) => &["5 km wedstrijd"],
        (Dutch, 1) => &["10 km wedstrijd"],
        (Dutch, 2) => &["Halve marathon"],
        (Portuguese, 0) => &["Prova 5 km"],
        (Portuguese, 1) => &["Corrida de rua 10K", "Prova 10 km"],
        (Portuguese, 2) => &["Meia maratona"],
        (French, _) => &["Course trail 23 km", "Trail de la vallée"],
        (English, _) => &["Trail race"],
        (_, _) => plain(language, RunKind::Race),
    }
}

/// The kind a run's plain name would say: a gray easy run was meant easy,
/// a mountain long run is a long run.
fn category(kind: RunKind) -> RunKind {
    match kind {
        RunKind::GrayEasy | RunKind::Ride => RunKind::Easy,
        RunKind::TrailLong => RunKind::Long,
        other => other,
    }
}

/// Names that say nothing plainly, though a substring might seem to.
fn misleading(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => &["Going to the race", "Track meet warm-down", "New race shoes"],
        Language::German => &["Zum Wettkampf gejoggt", "Tempo? Nein, müde"],
        Language::French => &["Course à pied", "Vers la course"],
        Language::Spanish => &["Carrera", "Hacia la carrera"],
        Language::Italian => &["Verso la gara", "Dopo la gara in pista"],
        Language::Dutch => &["Naar de wedstrijd", "Baan gesloten"],
        Language::Portuguese => &["Corrida", "A caminho da prova"],
    }
}

/// How an athlete names runs.
#[derive(Clone, Copy, Debug)]
pub struct Naming {
    pub languages: &'static [Language],
    /// Share of runs left with the app's default name.
    pub default_share: f64,
    /// Share of easy runs with a misleading name.
    pub misleading_share: f64,
    /// Strava-style ("Morning Run") or Garmin-style ("<city> Running").
    pub strava_defaults: bool,
    pub city: &'static str,
}

/// Strava's default by local hour.
fn strava_default(hour: u32) -> &'static str {
    match hour {
        4..=10 => "Morning Run",
        11..=13 => "Lunch Run",
        14..=16 => "Afternoon Run",
        17..=20 => "Evening Run",
        _ => "Night Run",
    }
}

/// Garmin Connect's default: the place and the sport, in the app's language.
fn garmin_default(language: Language, city: &str, trail: bool) -> String {
    let sport = match (language, trail) {
        (Language::German, false) => "Laufen",
        (Language::French, false) => "Course à pied",
        (Language::Spanish, false) => "Carrera",
        (Language::Italian, false) => "Corsa",
        (Language::Dutch, false) => "Hardlopen",
        (Language::Portuguese, false) => "Corrida",
        (Language::English, false) => "Running",
        (_, true) => "Trail Running",
    };
    format!("{city} {sport}")
}

/// What is known about a run when it is named.
#[derive(Clone, Copy, Debug)]
pub struct Occasion {
    pub kind: RunKind,
    /// Local hour of the start.
    pub hour: u32,
    pub trail: bool,
    pub race_km: Option<f64>,
}

/// A name for a run, and what it says plainly.
pub fn name(rng: &mut Rng, naming: &Naming, occasion: Occasion) -> (String, Option<RunKind>) {
    let Occasion { kind, hour, trail, race_km } = occasion;
    let language = naming.languages[(rng.next_u64() % naming.languages.len() as u64) as usize];
    let roll = rng.unit();
    if kind.is_easy_or_long() && kind != RunKind::TrailLong && roll < naming.misleading_share {
        return (pick(rng, misleading(language)).to_owned(), None);
    }
    // Races get named more often than easy days.
    let default_share = if kind == RunKind::Race { naming.default_share * 0.3 } else { naming.default_share };
    if rng.unit() < default_share {
        // Activities synced from Garmin Connect keep its name on Strava.
        let garmin = !naming.strava_defaults || rng.unit() < 0.25;
        let name = if garmin { garmin_default(language, naming.city, trail) } else { strava_default(hour).to_owned() };
        return (name, None);
    }
    let options = match race_km {
        Some(km) if kind == RunKind::Race && rng.unit() < 0.7 => race_by_distance(language, km),
        _ => plain(language, kind),
    };
    (pick(rng, options).to_owned(), Some(category(kind)))
}

fn pick<'a>(rng: &mut Rng, options: &[&'a str]) -> &'a str {
    options[(rng.next_u64() % options.len() as u64) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_names_every_kind() {
        let all = [
            Language::English,
            Language::German,
            Language::French,
            Language::Spanish,
            Language::Italian,
            Language::Dutch,
            Language::Portuguese,
        ];
        for language in all {
            for kind in
                [RunKind::Easy, RunKind::Long, RunKind::Intervals, RunKind::Tempo, RunKind::Progression, RunKind::Race]
            {
                assert!(!plain(language, kind).is_empty());
            }
            assert!(!misleading(language).is_empty());
        }
        assert_eq!(category(RunKind::TrailLong), RunKind::Long);
    }
}
