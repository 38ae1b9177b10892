//! Text of the string formats OpenAPI and JSON Schema name, as the mock
//! server's validator (Ajv's formats) checks them: RFC 3339 dates and times,
//! URIs, e-mail addresses, host names, IP addresses, UUIDs, base64, ISO 8601
//! durations, JSON pointers. A format it does not know is free text.

use super::Rng;

/// A string of `format`, or `None` for a format without a rule here (the
/// caller draws plain text, which an unknown format accepts).
pub fn draw(format: &str, rng: &mut Rng) -> Option<String> {
    let word = |rng: &mut Rng, min: i128, max: i128| -> String {
        let len = rng.between(min, max);
        (0..len)
            .map(|_| *rng.pick(b"abcdefghijklmnopqrstuvwxyz0123456789") as char)
            .collect()
    };
    Some(match format {
        "date-time" => date_time(rng),
        "date" => date(rng),
        "time" => time(rng),
        "uuid" => uuid(rng),
        "email" | "idn-email" => format!("{}@{}.example", word(rng, 1, 8), word(rng, 1, 8)),
        "hostname" | "idn-hostname" => format!("{}.example", word(rng, 1, 10)),
        "uri" | "url" | "iri" => format!(
            "https://{}.example/{}?q={}",
            word(rng, 1, 8),
            word(rng, 0, 8),
            word(rng, 0, 4)
        ),
        "uri-reference" | "iri-reference" => format!("/{}/{}", word(rng, 1, 8), word(rng, 0, 8)),
        "uri-template" => format!("/{}/{{id}}", word(rng, 1, 8)),
        "ipv4" => (0..4)
            .map(|_| rng.between(0, 255).to_string())
            .collect::<Vec<_>>()
            .join("."),
        "ipv6" => (0..8)
            .map(|_| format!("{:x}", rng.between(0, 0xffff)))
            .collect::<Vec<_>>()
            .join(":"),
        "byte" => {
            use base64::Engine as _;
            let bytes: Vec<u8> = (0..rng.between(0, 24))
                .map(|_| rng.between(0, 255) as u8)
                .collect();
            base64::engine::general_purpose::STANDARD.encode(bytes)
        }
        "duration" => format!(
            "P{}DT{}H{}M",
            rng.between(0, 30),
            rng.between(0, 23),
            rng.between(0, 59)
        ),
        "json-pointer" => format!("/{}/{}", word(rng, 1, 6), rng.between(0, 9)),
        "relative-json-pointer" => format!("{}/{}", rng.between(0, 3), word(rng, 1, 6)),
        "regex" => format!("^{}$", word(rng, 1, 6)),
        // Whole and decimal numbers written as strings (Google's `int64`).
        "int32" | "int64" | "uint32" | "uint64" => rng.between(0, 1_000_000).to_string(),
        "float" | "double" | "decimal" => {
            format!("{}.{}", rng.between(-1000, 1000), rng.between(0, 99))
        }
        _ => return None,
    })
}

/// RFC 3339, sometimes with a fraction or an offset other than `Z`.
fn date_time(rng: &mut Rng) -> String {
    let mut text = format!("{}T{}", date(rng), time_of_day(rng));
    if rng.chance(30) {
        let digits = rng.between(1, 9) as usize;
        let fraction = rng.between(0, 999_999_999);
        text.push_str(&format!(".{fraction:09}")[..digits + 1]);
    }
    text.push_str(&offset(rng));
    text
}

/// A full date, 1970 to about 2098.
fn date(rng: &mut Rng) -> String {
    let (y, m, d) = civil_from_days(rng.between(0, 47_000) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// RFC 3339's `full-time`: a time of day and its offset.
fn time(rng: &mut Rng) -> String {
    format!("{}{}", time_of_day(rng), offset(rng))
}

fn time_of_day(rng: &mut Rng) -> String {
    let seconds = rng.between(0, 86_399);
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

fn offset(rng: &mut Rng) -> String {
    if rng.chance(30) {
        let minutes = rng.between(-14 * 60, 14 * 60);
        let sign = if minutes < 0 { '-' } else { '+' };
        format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
    } else {
        "Z".to_string()
    }
}

fn uuid(rng: &mut Rng) -> String {
    let hex = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
    let variant = ["8", "9", "a", "b"][rng.between(0, 3) as usize];
    format!(
        "{}-{}-4{}-{variant}{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// Days since 1970-01-01 → (year, month, day), after Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_valid_calendar_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_844), (2024, 5, 1));
    }

    #[test]
    fn each_format_draws_what_its_grammar_takes() {
        let mut rng = Rng::new(3);
        for _ in 0..200 {
            let url = draw("url", &mut rng).unwrap();
            assert!(reqwest::Url::parse(&url).is_ok(), "{url}");
            let ip = draw("ipv4", &mut rng).unwrap();
            assert!(ip.parse::<std::net::Ipv4Addr>().is_ok(), "{ip}");
            let ip = draw("ipv6", &mut rng).unwrap();
            assert!(ip.parse::<std::net::Ipv6Addr>().is_ok(), "{ip}");
            let day = draw("date", &mut rng).unwrap();
            assert!(
                chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").is_ok(),
                "{day}"
            );
            let stamp = draw("date-time", &mut rng).unwrap();
            assert!(
                chrono::DateTime::parse_from_rfc3339(&stamp).is_ok(),
                "{stamp}"
            );
            let id = draw("uuid", &mut rng).unwrap();
            assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
        }
        assert_eq!(draw("google-fieldmask", &mut rng), None);
    }
}
