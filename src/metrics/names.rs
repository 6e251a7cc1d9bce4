//! What a run's name says it was, in the languages runners name runs in
//! (English, German, French, Spanish, Italian, Dutch, Portuguese). Words are
//! matched whole, as words or phrases, never as substrings ("race" is not in
//! "embrace"), and a word in a context that says the run was something else
//! ("Going to the race", "Cool down after the race") does not count.

use super::sessions::SessionType;

/// Phrases (already folded: lower case, no accents, words split on anything
/// that is not a letter or digit) and what they say. Longer phrases are tried
/// first, so "race pace" wins over "race".
const PHRASES: &[(&str, SessionType)] = &[
    // English
    ("race", SessionType::Race),
    ("racing", SessionType::Race),
    ("parkrun", SessionType::Race),
    ("time trial", SessionType::Race),
    ("marathon", SessionType::Race),
    ("half marathon", SessionType::Race),
    ("competition", SessionType::Race),
    ("race pace", SessionType::Workout),
    ("marathon pace", SessionType::Workout),
    ("interval", SessionType::Workout),
    ("intervals", SessionType::Workout),
    ("repeats", SessionType::Workout),
    ("reps", SessionType::Workout),
    ("tempo", SessionType::Workout),
    ("threshold", SessionType::Workout),
    ("fartlek", SessionType::Workout),
    ("workout", SessionType::Workout),
    ("track session", SessionType::Workout),
    ("track workout", SessionType::Workout),
    ("progression", SessionType::Workout),
    ("progression run", SessionType::Workout),
    ("progressive", SessionType::Workout),
    ("race day", SessionType::Race),
    ("speedwork", SessionType::Workout),
    ("speed work", SessionType::Workout),
    ("vo2max", SessionType::Workout),
    ("vo2 max", SessionType::Workout),
    ("hill sprints", SessionType::Workout),
    ("long run", SessionType::Long),
    ("longrun", SessionType::Long),
    ("long slow distance", SessionType::Long),
    ("lsd", SessionType::Long),
    ("long easy", SessionType::Long),
    ("long jog", SessionType::Long),
    ("easy", SessionType::Easy),
    ("recovery", SessionType::Easy),
    ("jog", SessionType::Easy),
    ("jogging", SessionType::Easy),
    ("shakeout", SessionType::Easy),
    ("shake out", SessionType::Easy),
    ("zone 2", SessionType::Easy),
    ("z2", SessionType::Easy),
    ("z1", SessionType::Easy),
    ("aerobic", SessionType::Easy),
    ("cool down", SessionType::Easy),
    ("cooldown", SessionType::Easy),
    ("warm down", SessionType::Easy),
    ("warm up", SessionType::Easy),
    ("warmup", SessionType::Easy),
    // German
    ("wettkampf", SessionType::Race),
    ("stadtlauf", SessionType::Race),
    ("rennen", SessionType::Race),
    ("volkslauf", SessionType::Race),
    ("halbmarathon", SessionType::Race),
    ("intervall", SessionType::Workout),
    ("intervalle", SessionType::Workout),
    ("intervalltraining", SessionType::Workout),
    ("tempolauf", SessionType::Workout),
    ("tempodauerlauf", SessionType::Workout),
    ("schwelle", SessionType::Workout),
    ("schwellenlauf", SessionType::Workout),
    ("fahrtspiel", SessionType::Workout),
    ("bahntraining", SessionType::Workout),
    ("tempowechsel", SessionType::Workout),
    ("steigerungslauf", SessionType::Workout),
    ("endbeschleunigung", SessionType::Workout),
    ("langer lauf", SessionType::Long),
    ("langer dauerlauf", SessionType::Long),
    ("lange einheit", SessionType::Long),
    ("locker", SessionType::Easy),
    ("lockerer", SessionType::Easy),
    ("lockerer lauf", SessionType::Easy),
    ("lockerer dauerlauf", SessionType::Easy),
    ("ruhiger lauf", SessionType::Easy),
    ("ruhiger dauerlauf", SessionType::Easy),
    ("ga1", SessionType::Easy),
    ("grundlagenlauf", SessionType::Easy),
    ("regenerationslauf", SessionType::Easy),
    ("regeneration", SessionType::Easy),
    ("erholungslauf", SessionType::Easy),
    ("auslaufen", SessionType::Easy),
    ("einlaufen", SessionType::Easy),
    // French
    ("competition", SessionType::Race),
    ("semi marathon", SessionType::Race),
    ("course officielle", SessionType::Race),
    ("contre la montre", SessionType::Race),
    ("jour de course", SessionType::Race),
    ("fractionne", SessionType::Workout),
    ("intervalles", SessionType::Workout),
    ("vma", SessionType::Workout),
    ("seuil", SessionType::Workout),
    ("allure marathon", SessionType::Workout),
    ("allure specifique", SessionType::Workout),
    ("progressif", SessionType::Workout),
    ("sortie longue", SessionType::Long),
    ("footing long", SessionType::Long),
    ("footing", SessionType::Easy),
    ("footing facile", SessionType::Easy),
    ("facile", SessionType::Easy),
    ("recuperation", SessionType::Easy),
    ("recup", SessionType::Easy),
    ("endurance fondamentale", SessionType::Easy),
    ("decrassage", SessionType::Easy),
    ("tranquille", SessionType::Easy),
    // Spanish
    ("competicion", SessionType::Race),
    ("media maraton", SessionType::Race),
    ("maraton", SessionType::Race),
    ("carrera popular", SessionType::Race),
    ("dia de carrera", SessionType::Race),
    ("series", SessionType::Workout),
    ("intervalos", SessionType::Workout),
    ("cambios de ritmo", SessionType::Workout),
    ("umbral", SessionType::Workout),
    ("progresivo", SessionType::Workout),
    ("cuestas", SessionType::Workout),
    ("tirada larga", SessionType::Long),
    ("rodaje largo", SessionType::Long),
    ("suave", SessionType::Easy),
    ("rodaje suave", SessionType::Easy),
    ("rodaje", SessionType::Easy),
    ("regenerativo", SessionType::Easy),
    ("trote", SessionType::Easy),
    ("trote suave", SessionType::Easy),
    ("facil", SessionType::Easy),
    ("tranquilo", SessionType::Easy),
    ("recuperacion", SessionType::Easy),
    // Italian
    ("gara", SessionType::Race),
    ("maratona", SessionType::Race),
    ("mezza maratona", SessionType::Race),
    ("mezza", SessionType::Race),
    ("ripetute", SessionType::Workout),
    ("intervalli", SessionType::Workout),
    ("progressione", SessionType::Workout),
    ("progressivo", SessionType::Workout),
    ("soglia", SessionType::Workout),
    ("medio", SessionType::Workout),
    ("corto veloce", SessionType::Workout),
    ("lungo", SessionType::Long),
    ("lungo lento", SessionType::Long),
    ("corsa lunga", SessionType::Long),
    ("lunghissimo", SessionType::Long),
    ("leggera", SessionType::Easy),
    ("leggero", SessionType::Easy),
    ("corsa lenta", SessionType::Easy),
    ("lento", SessionType::Easy),
    ("recupero", SessionType::Easy),
    ("defaticamento", SessionType::Easy),
    ("rigenerante", SessionType::Easy),
    ("scarico", SessionType::Easy),
    // Dutch
    ("wedstrijd", SessionType::Race),
    ("wedstrijddag", SessionType::Race),
    ("halve marathon", SessionType::Race),
    ("intervallen", SessionType::Workout),
    ("intervaltraining", SessionType::Workout),
    ("tempoloop", SessionType::Workout),
    ("progressieve", SessionType::Workout),
    ("tempoduurloop", SessionType::Workout),
    ("drempel", SessionType::Workout),
    ("drempeltraining", SessionType::Workout),
    ("baantraining", SessionType::Workout),
    ("lange duurloop", SessionType::Long),
    ("lange loop", SessionType::Long),
    ("duurloop lang", SessionType::Long),
    ("rustig", SessionType::Easy),
    ("rustige", SessionType::Easy),
    ("rustige duurloop", SessionType::Easy),
    ("duurloop", SessionType::Easy),
    ("herstel", SessionType::Easy),
    ("herstelloop", SessionType::Easy),
    ("hersteltraining", SessionType::Easy),
    ("uitlopen", SessionType::Easy),
    ("makkelijk", SessionType::Easy),
    ("makkelijke", SessionType::Easy),
    // Portuguese
    ("prova", SessionType::Race),
    ("competicao", SessionType::Race),
    ("meia maratona", SessionType::Race),
    ("corrida de rua", SessionType::Race),
    ("intervalado", SessionType::Workout),
    ("treino intervalado", SessionType::Workout),
    ("tiros", SessionType::Workout),
    ("limiar", SessionType::Workout),
    ("longao", SessionType::Long),
    ("longo", SessionType::Long),
    ("treino longo", SessionType::Long),
    ("corrida longa", SessionType::Long),
    ("leve", SessionType::Easy),
    ("corrida leve", SessionType::Easy),
    ("rodagem leve", SessionType::Easy),
    ("rodagem", SessionType::Easy),
    ("trote leve", SessionType::Easy),
    ("recuperacao", SessionType::Easy),
    ("regenerativa", SessionType::Easy),
];

/// Words that, one or two words before a race or workout word, say the run
/// was not it but on the way to, before or after it ("to the race",
/// "nach dem Wettkampf", "dopo la gara", "voor de wedstrijd").
const NOT_THE_EVENT_BEFORE: &[&str] = &[
    "to", "after", "before", "from", "post", "pre", "watching", "nach", "vor", "zum", "zur", "vom", "apres", "avant",
    "vers", "despues", "antes", "tras", "hacia", "dopo", "prima", "verso", "na", "naar", "voor", "depois", "apos",
    "para", "pos", "caminho",
];

/// Words right after a race word that make it a plan, not the race itself
/// ("marathon training", "race prep").
const NOT_THE_RACE_AFTER: &[&str] = &[
    "training",
    "prep",
    "plan",
    "block",
    "week",
    "recce",
    "vorbereitung",
    "preparation",
    "preparazione",
    "shoes",
    "schuhe",
    "chaussures",
    "zapatillas",
    "scarpe",
    "schoenen",
    "tenis",
];

/// Words right after a race or workout word that deny it ("Tempo? Nein, müde").
const DENIED_AFTER: &[&str] = &["no", "nein", "non", "nee", "niet", "nao"];

/// Words for "run" or "race" that name a race when a distance stands beside
/// them ("Course 10 km", "Carrera 5K", "5-km-Lauf"); alone they mean running.
const RUN_WORDS: &[&str] = &["course", "carrera", "corrida", "lauf"];

/// Words that, anywhere in the name, make a race word describe the day and
/// the run a warm-up or cool-down around it ("Race warm-up", "Cool down").
const AROUND_THE_EVENT: &[&str] = &["cool down", "cooldown", "warm down", "warm up", "warmup", "shakeout", "shake out"];

/// What the name says plainly; `None` when it says nothing we know.
pub fn kind_from_name(name: &str) -> Option<SessionType> {
    let words = fold(name);
    let found = matches(&words);
    let has = |t: SessionType| found.iter().any(|&(kind, _)| kind == t);
    // "6x800", "10 x 400m", "5x1km": a set of repetitions is a workout.
    if has_repetition_set(&words) {
        return Some(SessionType::Workout);
    }
    let around = found.iter().any(|&(_, phrase)| AROUND_THE_EVENT.contains(&phrase));
    if has(SessionType::Race) || is_race_over_a_distance(&words) {
        return Some(if around { SessionType::Easy } else { SessionType::Race });
    }
    // "WU + tempo + CD" lists the workout: a workout word wins over a warm-up.
    if has(SessionType::Workout) {
        return Some(SessionType::Workout);
    }
    [SessionType::Long, SessionType::Easy].into_iter().find(|&t| has(t))
}

/// Lower case, accents folded to plain letters, split into words on
/// anything that is not a letter or a digit.
fn fold(name: &str) -> Vec<String> {
    let mut plain = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => plain.push('a'),
            'è' | 'é' | 'ê' | 'ë' => plain.push('e'),
            'ì' | 'í' | 'î' | 'ï' => plain.push('i'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => plain.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => plain.push('u'),
            'ç' => plain.push('c'),
            'ñ' => plain.push('n'),
            'ß' => plain.push_str("ss"),
            c if c.is_alphanumeric() => plain.push(c),
            _ => plain.push(' '),
        }
    }
    plain.split_whitespace().map(str::to_owned).collect()
}

/// Every phrase found, longest first at each position, each word used once,
/// minus race and workout words in a context that says otherwise.
fn matches(words: &[String]) -> Vec<(SessionType, &'static str)> {
    let mut phrases: Vec<(Vec<&str>, SessionType, &'static str)> =
        PHRASES.iter().map(|&(p, kind)| (p.split(' ').collect(), kind, p)).collect();
    phrases.sort_by_key(|(p, _, _)| std::cmp::Reverse(p.len()));
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let hit = phrases
            .iter()
            .find(|(p, _, _)| words.len() >= i + p.len() && p.iter().zip(&words[i..]).all(|(a, b)| *a == b.as_str()));
        let Some((p, kind, phrase)) = hit else {
            i += 1;
            continue;
        };
        let next = words.get(i + p.len()).map(String::as_str);
        if !not_the_event(*kind, &words[i.saturating_sub(2)..i], next) {
            found.push((*kind, *phrase));
        }
        i += p.len();
    }
    found
}

fn not_the_event(kind: SessionType, before: &[String], next: Option<&str>) -> bool {
    let hard = matches!(kind, SessionType::Race | SessionType::Workout);
    let led_away = before.iter().any(|w| NOT_THE_EVENT_BEFORE.contains(&w.as_str()));
    let planned = kind == SessionType::Race && next.is_some_and(|w| NOT_THE_RACE_AFTER.contains(&w));
    let denied = next.is_some_and(|w| DENIED_AFTER.contains(&w));
    hard && (led_away || planned || denied)
}

/// A run word with a distance beside it: "Course 10 km", "Carrera 5K",
/// "5-km-Lauf".
fn is_race_over_a_distance(words: &[String]) -> bool {
    let number = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
    // "10k", "5km", or a number followed by "km".
    let distance_at = |i: usize| {
        let w = words.get(i).map_or("", String::as_str);
        let unit = w.trim_start_matches(|c: char| c.is_ascii_digit());
        (unit.len() < w.len() && matches!(unit, "k" | "km"))
            || (number(w) && words.get(i + 1).is_some_and(|u| u == "km"))
    };
    words.iter().enumerate().any(|(i, w)| {
        RUN_WORDS.contains(&w.as_str())
            && (distance_at(i + 1) || (i >= 2 && distance_at(i - 2)) || (i >= 1 && distance_at(i - 1)))
    })
}

/// "6x800", "10x400m", "5 x 1km", "3x10": repetitions written as a count
/// times a distance or duration.
fn has_repetition_set(words: &[String]) -> bool {
    let count_x_rest = |w: &str| {
        let Some((count, rest)) = w.split_once('x') else { return false };
        !count.is_empty()
            && count.chars().all(|c| c.is_ascii_digit())
            && rest.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    let is_count = |w: &str| !w.is_empty() && w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit());
    let starts_with_digit = |w: &str| w.chars().next().is_some_and(|c| c.is_ascii_digit());
    words.iter().any(|w| count_x_rest(w))
        || words.windows(3).any(|w| is_count(&w[0]) && w[1] == "x" && starts_with_digit(&w[2]))
        || words
            .windows(2)
            .any(|w| w[0].ends_with('x') && is_count(&w[0][..w[0].len() - 1]) && starts_with_digit(&w[1]))
}

#[cfg(test)]
#[path = "names_tests.rs"]
mod tests;
