//! Spec values that accept a short form as well as the full mapping.
//!
//! A person may be written as `"Ana Ruiz"` or `{ name: Ana Ruiz, contact: "@ana" }`;
//! a rollout step as `25` or `{ percent: 25, bake_time: 30m }`; an earlier version as `true`,
//! `false` or its version string, `"5.1.3"`.

use std::fmt;

use serde::de::{self, value::MapAccessDeserializer, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::units::{Duration, Percent};

/// A named person and how to reach them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(arbitrary::Arbitrary))]
pub struct Person {
    /// Their name.
    pub name: Option<String>,
    /// How to reach them: chat handle, email or phone.
    pub contact: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
#[derive(Default)]
struct PersonFields {
    name: Option<String>,
    contact: Option<String>,
}

impl<'de> Deserialize<'de> for Person {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Person, D::Error> {
        struct PersonVisitor;
        impl<'de> Visitor<'de> for PersonVisitor {
            type Value = Person;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a name, or a mapping with `name` and `contact`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Person, E> {
                Ok(Person { name: Some(v.to_string()), contact: None })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Person, A::Error> {
                let f = PersonFields::deserialize(MapAccessDeserializer::new(map))?;
                Ok(Person { name: f.name, contact: f.contact })
            }
        }
        d.deserialize_any(PersonVisitor)
    }
}

/// One step of a staged rollout: a traffic share, and optionally its own bake time.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(test, derive(arbitrary::Arbitrary))]
pub struct RolloutStep {
    /// The share of traffic at this step.
    pub percent: Option<Percent>,
    /// How long to watch this step (unset: the rollout's bake time).
    pub bake_time: Option<Duration>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct StepFields {
    percent: Option<Percent>,
    bake_time: Option<Duration>,
}

impl<'de> Deserialize<'de> for RolloutStep {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RolloutStep, D::Error> {
        struct StepVisitor;
        impl<'de> Visitor<'de> for StepVisitor {
            type Value = RolloutStep;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a percentage 1–100, or a mapping with `percent` and `bake_time`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RolloutStep, E> {
                let percent = Percent::deserialize(de::value::U64Deserializer::<E>::new(v))?;
                Ok(RolloutStep { percent: Some(percent), bake_time: None })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RolloutStep, E> {
                let percent = Percent::deserialize(de::value::I64Deserializer::<E>::new(v))?;
                Ok(RolloutStep { percent: Some(percent), bake_time: None })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RolloutStep, E> {
                let percent = Percent::deserialize(de::value::F64Deserializer::<E>::new(v))?;
                Ok(RolloutStep { percent: Some(percent), bake_time: None })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RolloutStep, E> {
                let percent = Percent::deserialize(de::value::StrDeserializer::<E>::new(v))?;
                Ok(RolloutStep { percent: Some(percent), bake_time: None })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<RolloutStep, A::Error> {
                let f = StepFields::deserialize(MapAccessDeserializer::new(map))?;
                Ok(RolloutStep { percent: f.percent, bake_time: f.bake_time })
            }
        }
        d.deserialize_any(StepVisitor)
    }
}

/// Whether an earlier version runs before this change: yes or no, or the version itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreviousVersion {
    /// `true` or `false`: whether one exists, its version unstated.
    Exists(bool),
    /// The version that runs now and that a rollback returns to, e.g. `5.1.3`.
    Version(String),
}

impl PreviousVersion {
    /// Whether an earlier version exists (a version string says it does).
    pub fn exists(&self) -> bool {
        match self {
            PreviousVersion::Exists(exists) => *exists,
            PreviousVersion::Version(_) => true,
        }
    }

    /// The version, when the spec names it.
    pub fn version(&self) -> Option<&str> {
        match self {
            PreviousVersion::Version(v) => Some(v),
            PreviousVersion::Exists(_) => None,
        }
    }
}

/// Arbitrary earlier versions as a person writes them: never a blank version, which is refused.
#[cfg(test)]
impl<'a> arbitrary::Arbitrary<'a> for PreviousVersion {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<PreviousVersion> {
        let version: String = u.arbitrary()?;
        Ok(match version.trim() {
            "" => PreviousVersion::Exists(u.arbitrary()?),
            _ => PreviousVersion::Version(version),
        })
    }
}

impl Serialize for PreviousVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PreviousVersion::Exists(b) => s.serialize_bool(*b),
            PreviousVersion::Version(v) => s.serialize_str(v),
        }
    }
}

impl<'de> Deserialize<'de> for PreviousVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PreviousVersion, D::Error> {
        struct VersionVisitor;
        impl Visitor<'_> for VersionVisitor {
            type Value = PreviousVersion;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true, false, or the earlier version as a string, e.g. \"5.1.3\"")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<PreviousVersion, E> {
                Ok(PreviousVersion::Exists(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PreviousVersion, E> {
                match v.trim() {
                    "" => Err(E::custom("expected a version, e.g. \"5.1.3\", not a blank string")),
                    _ => Ok(PreviousVersion::Version(v.to_string())),
                }
            }
            // A whole number is a version as written (`previous_version: 5`); a decimal one is
            // not taken, since YAML reads `5.10` as 5.1: it must be quoted.
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PreviousVersion, E> {
                Ok(PreviousVersion::Version(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PreviousVersion, E> {
                Ok(PreviousVersion::Version(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<PreviousVersion, E> {
                Err(E::custom(format!(
                    "expected the version as a quoted string: {v} is read as a number, so write \"{v}\" (or the exact version in quotes)"
                )))
            }
        }
        d.deserialize_any(VersionVisitor)
    }
}

#[cfg(test)]
mod schema {
    use super::*;
    use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
    use std::borrow::Cow;

    impl JsonSchema for Person {
        fn schema_name() -> Cow<'static, str> {
            "Person".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A person: a name, or { name, contact }.",
                "anyOf": [
                    { "type": "string" },
                    { "type": "object", "additionalProperties": false,
                      "properties": { "name": { "type": "string" }, "contact": { "type": "string" } } }
                ]
            })
        }
    }

    impl JsonSchema for PreviousVersion {
        fn schema_name() -> Cow<'static, str> {
            "PreviousVersion".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "Whether an earlier version runs: true or false, or its version, e.g. \"5.1.3\".",
                "anyOf": [{ "type": "boolean" }, { "type": "string", "minLength": 1 }]
            })
        }
    }

    impl JsonSchema for RolloutStep {
        fn schema_name() -> Cow<'static, str> {
            "RolloutStep".into()
        }
        fn json_schema(g: &mut SchemaGenerator) -> Schema {
            let percent = g.subschema_for::<Percent>();
            let duration = g.subschema_for::<Duration>();
            json_schema!({
                "description": "A rollout step: a percentage, or { percent, bake_time }.",
                "anyOf": [
                    percent.clone(),
                    { "type": "object", "additionalProperties": false,
                      "properties": { "percent": percent, "bake_time": duration } }
                ]
            })
        }
    }
}
