//! The name vocabulary, language by language, and the names that mislead.

use super::*;
use SessionType::{Easy, Long, Race, Workout};

fn check(cases: &[(&str, Option<SessionType>)]) {
    for &(name, want) in cases {
        assert_eq!(kind_from_name(name), want, "{name:?}");
    }
}

#[test]
fn english() {
    check(&[
        ("Easy run", Some(Easy)),
        ("Recovery jog", Some(Easy)),
        ("Sunday Long Run", Some(Long)),
        ("Intervals 6x3'", Some(Workout)),
        ("Tempo Tuesday", Some(Workout)),
        ("Time Trial", Some(Race)),
        ("Parkrun", Some(Race)),
        ("Berlin Marathon", Some(Race)),
        ("Z2 <145bpm", Some(Easy)),
        ("Progression run", Some(Workout)),
        ("Progressive long run", Some(Workout)),
        ("Race day", Some(Race)),
        ("Evening Run", None),
        ("Morning Run", None),
    ]);
}

#[test]
fn german() {
    check(&[
        ("Lockerer Dauerlauf", Some(Easy)),
        ("Regenerationslauf", Some(Easy)),
        ("GA1 Lauf", Some(Easy)),
        ("Langer Lauf am Sonntag", Some(Long)),
        ("Intervalltraining 5x1000m", Some(Workout)),
        ("Tempodauerlauf", Some(Workout)),
        ("Wettkampf: Stadtlauf", Some(Race)),
        ("Halbmarathon Köln", Some(Race)),
        ("5-km-Lauf", Some(Race)),
        ("Endbeschleunigung", Some(Workout)),
        ("Abendlauf", None),
    ]);
}

#[test]
fn french() {
    check(&[
        ("Footing facile", Some(Easy)),
        ("Récupération", Some(Easy)),
        ("Sortie longue", Some(Long)),
        ("Fractionné 10x400", Some(Workout)),
        ("Séance VMA", Some(Workout)),
        ("Semi-marathon de Paris", Some(Race)),
        ("Course 10 km", Some(Race)),
        ("Jour de course", Some(Race)),
        ("Course à pied le soir", None),
    ]);
}

#[test]
fn spanish() {
    check(&[
        ("Rodaje suave", Some(Easy)),
        ("Trote regenerativo", Some(Easy)),
        ("Tirada larga", Some(Long)),
        ("Series 8x400", Some(Workout)),
        ("Cambios de ritmo", Some(Workout)),
        ("Media maratón de Valencia", Some(Race)),
        ("Carrera 10K", Some(Race)),
        ("Rodaje", Some(Easy)),
        ("Carrera de noche", None),
    ]);
}

#[test]
fn italian() {
    check(&[
        ("Corsa facile", Some(Easy)),
        ("Corsa leggera", Some(Easy)),
        ("Lungo lento", Some(Long)),
        ("Ripetute di velocità", Some(Workout)),
        ("Corsa in progressione", Some(Workout)),
        ("Gara sociale 10 km", Some(Race)),
        ("Medio", Some(Workout)),
        ("Corsa serale", None),
    ]);
}

#[test]
fn dutch() {
    check(&[
        ("Rustige duurloop", Some(Easy)),
        ("Herstelloop", Some(Easy)),
        ("Lange duurloop", Some(Long)),
        ("Intervaltraining op de baan", Some(Workout)),
        ("Drempeltraining", Some(Workout)),
        ("Wedstrijd 10 km", Some(Race)),
        ("Duurloop", Some(Easy)),
        ("Progressieve duurloop", Some(Workout)),
        ("Avondloop", None),
    ]);
}

#[test]
fn portuguese() {
    check(&[
        ("Corrida leve", Some(Easy)),
        ("Regenerativo", Some(Easy)),
        ("Longão de domingo", Some(Long)),
        ("Treino intervalado", Some(Workout)),
        ("Tiros 10x400m", Some(Workout)),
        ("Prova de 10 km", Some(Race)),
        ("Meia Maratona do Porto", Some(Race)),
        ("Corrida de rua 10K", Some(Race)),
        ("Rodagem", Some(Easy)),
        ("Corrida matinal", None),
    ]);
}

/// Found on a real history: a jog named "Going to the race" was typed race
/// because "race" was matched as a substring anywhere in the name.
#[test]
fn going_to_the_race_is_not_a_race() {
    check(&[
        ("Going to the race", None),
        ("Jog to the race", Some(Easy)),
        ("Cool down after the race", Some(Easy)),
        ("Warm-down", Some(Easy)),
        ("Race warm-up", Some(Easy)),
        ("Post-race shakeout", Some(Easy)),
        ("Easy run after intervals", Some(Easy)),
        ("Corsa dopo la gara", None),
        ("Auslaufen nach dem Wettkampf", Some(Easy)),
        ("Footing après la course", Some(Easy)),
        ("Marathon training long run", Some(Long)),
        ("Race pace 3x2km", Some(Workout)),
        ("WU + tempo + cool down", Some(Workout)),
        ("New race shoes", None),
        ("Tempo? Nein, müde", None),
        ("Zum Wettkampf gejoggt", None),
        ("Vers la course", None),
        ("Hacia la carrera", None),
        ("Naar de wedstrijd", None),
        ("A caminho da prova", None),
        ("Lausanne Course à pied", None),
        ("Carrera", None),
        ("Corrida", None),
    ]);
}

/// Never a substring: these words hold "race", "tempo", "easy" or "lungo"
/// inside other words.
#[test]
fn words_inside_other_words_do_not_count() {
    check(&[
        ("Embrace the rain", None),
        ("Terrace loop", None),
        ("Uneasy legs", None),
        ("Lungomare", None),
        ("Contemporary art museum", None),
        ("Gararun", None),
        ("Trackside", None),
    ]);
}
