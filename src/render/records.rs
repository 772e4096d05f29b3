//! Records output: each counted line as a CSV row or a JSON Lines object,
//! encoded from the typed fields of `report::records` while the engine runs.

use std::cell::RefCell;
use std::fmt::Write as _;

use super::csv::push_field;
use super::json::push_str;
use crate::engine::{Counted, RecordSink, Rows};
use crate::report::records::{COLUMNS, Field, Scratch, fields};
use crate::zone::Zone;

/// How records are encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordWriter {
    /// CSV with a header; `raw` leaves formula-looking cells as they are.
    Csv {
        /// Do not neutralise formula-looking cells.
        raw: bool,
    },
    /// One JSON object per line.
    Json,
}

/// Buffers of one worker thread, reused from record to record.
#[derive(Default)]
struct Buffers {
    fields: Scratch,
    cell: String,
    json: String,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers::default());
}

impl RecordSink for RecordWriter {
    fn header(&self) -> Vec<u8> {
        match self {
            RecordWriter::Csv { .. } => format!("{}\n", COLUMNS.join(",")).into_bytes(),
            RecordWriter::Json => Vec::new(),
        }
    }

    fn write(&self, out: &mut Rows, file: &str, line: u64, c: &Counted, zone: &Zone) {
        // The engine hands back the buffer `rows` made: bytes.
        let out: &mut Vec<u8> = out.downcast_mut().expect("a records buffer from RecordSink::rows");
        BUFFERS.with_borrow_mut(|b| {
            let Buffers { fields: sc, cell, json } = b;
            let fields = fields(sc, file, line, c.rec, c.route, zone);
            match self {
                RecordWriter::Csv { raw } => {
                    for (i, (_, f)) in fields.iter().enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        cell.clear();
                        f.text(cell);
                        if !*raw && matches!(f, Field::Bytes(_) | Field::Str(_)) && super::csv::is_formula(cell) {
                            cell.insert(0, '\'');
                        }
                        push_field(out, cell);
                    }
                    out.push(b'\n');
                }
                RecordWriter::Json => {
                    json.clear();
                    json.push('{');
                    for (i, (k, f)) in fields.iter().enumerate() {
                        if i > 0 {
                            json.push(',');
                        }
                        push_str(json, k);
                        json.push(':');
                        match f {
                            Field::Num(n) => {
                                let _ = write!(json, "{n}");
                            }
                            Field::Raw(v) => json.push_str(v),
                            Field::Null | Field::Dash => json.push_str("null"),
                            _ => {
                                cell.clear();
                                f.text(cell);
                                push_str(json, cell);
                            }
                        }
                    }
                    json.push_str("}\n");
                    out.extend_from_slice(json.as_bytes());
                }
            }
        })
    }
}
