//! The overlay stub (filled in by the naming work).
use crate::merge::Origins;
use crate::workspace::Workspace;
use anyhow::Result;
use serde_json::Value;
#[derive(Debug, Default)]
pub struct Overlay;
impl Overlay {
    pub fn load(_ws: &Workspace) -> Result<Self> {
        Ok(Self)
    }
    pub fn apply(&self, _doc: &mut Value, _origins: &Origins) -> Result<()> {
        Ok(())
    }
}
