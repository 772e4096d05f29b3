//! Records as Parquet: one row per counted line with typed columns, for
//! DuckDB, Spark, Trino and ClickHouse. Workers put each record straight
//! into their chunk's column vectors ([`ParquetRecords`], a `RecordSink`:
//! text escaped in place, no row format in between); the engine hands the
//! chunks over in file order to [`ParquetFile`], whose writer thread cuts
//! them into row groups of [`ROW_GROUP`] rows (fewer when their text passes
//! 128 MiB, so memory stays bounded) and encodes each group's
//! columns in parallel through the Arrow writer, zstd-compressed,
//! dictionary-encoded where that pays. Row groups fall at the same rows
//! whatever the chunks were, so the file is the same for any thread count.
//! The file is written under a temporary name and renamed when complete,
//! so an interrupted run leaves no partial file.
//!
//! `time` is a UTC timestamp (microseconds, adjusted to UTC) and
//! `utc_offset_seconds` the offset the log wrote, so local time is
//! `time + utc_offset_seconds`. Text columns hold the same escaped text as
//! records CSV (valid UTF-8 whatever the log's bytes).

use std::fs::File;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use arrow_array::{Array, ArrayRef, Float64Array, Int32Array, Int64Array, LargeStringArray, TimestampMicrosecondArray};
use arrow_buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow_select::concat::concat;
use parquet::arrow::ArrowSchemaConverter;
use parquet::arrow::arrow_writer::{ArrowColumnChunk, ArrowRowGroupWriterFactory, compute_leaves};
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::ColumnPath;

use crate::engine::{Counted, RecordOut, RecordSink, Rows};
use crate::status::{CLASS_NAMES, class_index};
use crate::zone::Zone;

/// Rows per row group.
pub const ROW_GROUP: usize = 131_072;

/// Text bytes per row group at most (a row group of very long lines is
/// written early, so memory stays bounded).
const GROUP_TEXT: usize = 128 << 20;

/// Text columns, in schema order after their numeric neighbours.
const TEXTS: usize = 12;

/// The text column of the status class (its names need no escaping).
const CLASS: usize = 6;

/// Encodes each record as a row (see the module docs). With `agents`
/// (`--who`), each user agent's family and category (as the agents report
/// names them) fill `agent_family` and `agent_category`; otherwise they are
/// null.
pub struct ParquetRecords {
    /// Classify user agents.
    agents: bool,
    /// Column sizes learnt from the chunks written so far.
    sizes: Arc<Sizes>,
}

impl ParquetRecords {
    /// A sink for rows with agent columns filled when `agents`.
    pub fn new(agents: bool) -> ParquetRecords {
        ParquetRecords { agents, sizes: Arc::default() }
    }
}

/// What a chunk's columns held per MiB of its input, as the writer last
/// saw: a chunk's vectors are allocated at about their final size instead
/// of grown by doubling from empty (the copies and reallocations were 7%
/// of an export's samples). A guess only: a column that needs more grows.
#[derive(Default)]
struct Sizes {
    rows: AtomicUsize,
    text: [AtomicUsize; TEXTS + 2],
}

const MIB: usize = 1 << 20;

/// `per_mib` scaled to `input` bytes, with 1/16 to spare.
fn scaled(per_mib: &AtomicUsize, input: usize) -> usize {
    let n = per_mib.load(Ordering::Relaxed).saturating_mul(input) / MIB;
    n + n / 16
}

impl RecordSink for ParquetRecords {
    fn header(&self) -> Vec<u8> {
        Vec::new()
    }

    fn rows(&self, len: usize) -> Rows {
        Box::new(Columns::sized(len, self.sizes.clone()))
    }

    fn write(&self, out: &mut Rows, file: &str, line: u64, seen: &Counted, _zone: &Zone) {
        // The engine hands back the buffer `rows` made: columns.
        let c: &mut Columns = out.downcast_mut().expect("a Parquet buffer from RecordSink::rows");
        self.row(c, file, line, seen);
    }
}

impl ParquetRecords {
    fn row(&self, c: &mut Columns, file: &str, line: u64, seen: &Counted) {
        let (r, route) = (seen.rec, seen.route);
        let texts: [&[u8]; TEXTS] = [
            file.as_bytes(),
            r.client,
            r.user,
            r.method.unwrap_or(b"(none)"),
            r.target,
            r.protocol,
            b"", // class: below
            route,
            r.referrer,
            r.user_agent,
            r.vhost,
            r.flags,
        ];
        let mut text = 0;
        for (i, (col, t)) in c.text.iter_mut().zip(texts).enumerate() {
            text += match i {
                CLASS => col.push_plain(CLASS_NAMES[class_index(r.status)]),
                _ => col.push(t),
            };
        }
        c.line.push(line as i64);
        c.time.push(r.time.map(|t| t.unix * 1_000_000));
        c.offset.push(r.time.map_or(0, |t| t.offset));
        c.status.push(r.status.map(|s| s as i32));
        c.bytes.push(r.bytes as i64);
        c.rt.push(r.request_time_us.map(|us| us as f64 / 1000.0));
        c.ut.push(r.upstream_time_us.map(|us| us as f64 / 1000.0));
        c.ups.push(r.upstream_status.map(|s| s as i32));
        let agent = seen.agent.filter(|_| self.agents);
        match agent {
            Some(a) => text += c.family.push(a.family.as_bytes()) + c.category.push(a.category.name().as_bytes()),
            None => {
                c.family.push(b"");
                c.category.push(b"");
            }
        }
        c.agent_valid.push(agent.is_some());
        c.text_total += text as u64;
        c.text_end.push(c.text_total);
    }
}

/// One text column's values: their escaped text back to back, and where
/// each starts and ends (64-bit offsets: no row group can overflow them).
struct TextCol {
    text: String,
    offsets: Vec<i64>,
}

impl TextCol {
    fn with_capacity(bytes: usize, rows: usize) -> TextCol {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        TextCol { text: String::with_capacity(bytes), offsets }
    }

    /// Append text known to be printable ASCII (no escaping to do).
    fn push_plain(&mut self, t: &'static str) -> usize {
        self.text.push_str(t);
        self.offsets.push(self.text.len() as i64);
        t.len()
    }

    /// Append the escaped form of `t`; returns its length.
    fn push(&mut self, t: &[u8]) -> usize {
        let start = self.text.len();
        crate::text::escape_into(t, &mut self.text);
        self.offsets.push(self.text.len() as i64);
        self.text.len() - start
    }

    /// The values as an Arrow string array over the same buffers (no copy
    /// per value); `valid` marks the non-null rows of an optional column.
    fn array(self, valid: Option<Vec<bool>>) -> Result<ArrayRef, ArrowError> {
        // SAFETY: the offsets start at 0 and only grow (each is the
        // text's length after a push); the text is a `String` to which only
        // whole `str`s were pushed, so it is UTF-8 and every offset falls on
        // a character boundary; `valid` has one entry per value. What
        // `try_new` would check again (a pass over all text: 3% of an
        // export) holds by construction.
        let offsets = unsafe { OffsetBuffer::new_unchecked(ScalarBuffer::from(self.offsets)) };
        let bytes = Buffer::from_vec(self.text.into_bytes());
        let nulls = valid.map(NullBuffer::from);
        Ok(Arc::new(unsafe { LargeStringArray::new_unchecked(offsets, bytes, nulls) }))
    }
}

/// An optional numeric column: a value for every row (0 where null) and
/// which rows hold one.
#[derive(Default)]
struct Opt<T> {
    vals: Vec<T>,
    valid: Vec<bool>,
}

impl<T: Default> Opt<T> {
    fn with_capacity(n: usize) -> Opt<T> {
        Opt { vals: Vec::with_capacity(n), valid: Vec::with_capacity(n) }
    }

    fn push(&mut self, v: Option<T>) {
        self.valid.push(v.is_some());
        self.vals.push(v.unwrap_or_default());
    }
}

/// Column vectors of one chunk's rows.
struct Columns {
    text: [TextCol; TEXTS],
    line: Vec<i64>,
    time: Opt<i64>,
    offset: Vec<i32>,
    status: Opt<i32>,
    bytes: Vec<i64>,
    rt: Opt<f64>,
    ut: Opt<f64>,
    ups: Opt<i32>,
    family: TextCol,
    category: TextCol,
    agent_valid: Vec<bool>,
    /// Text bytes of all columns so far.
    text_total: u64,
    /// `text_total` after each row (where a row group passes [`GROUP_TEXT`]).
    text_end: Vec<u64>,
    /// The input bytes these rows came from, and where to record the
    /// sizes they took.
    input: usize,
    sizes: Option<Arc<Sizes>>,
}

impl Columns {
    /// Empty columns for `input` bytes, sized as `sizes` last saw.
    fn sized(input: usize, sizes: Arc<Sizes>) -> Columns {
        let rows = scaled(&sizes.rows, input);
        let text = |i: usize| TextCol::with_capacity(scaled(&sizes.text[i], input), rows);
        Columns {
            text: std::array::from_fn(text),
            line: Vec::with_capacity(rows),
            time: Opt::with_capacity(rows),
            offset: Vec::with_capacity(rows),
            status: Opt::with_capacity(rows),
            bytes: Vec::with_capacity(rows),
            rt: Opt::with_capacity(rows),
            ut: Opt::with_capacity(rows),
            ups: Opt::with_capacity(rows),
            family: text(TEXTS),
            category: text(TEXTS + 1),
            agent_valid: Vec::with_capacity(rows),
            text_total: 0,
            text_end: Vec::with_capacity(rows),
            input,
            sizes: Some(sizes),
        }
    }

    /// Record what these columns took per MiB of input, for the next.
    fn learn(&self) {
        let Some(s) = self.sizes.as_ref().filter(|_| self.input > 0) else { return };
        let per_mib = |n: usize| (n as u128 * MIB as u128 / self.input as u128) as usize;
        s.rows.store(per_mib(self.line.len()), Ordering::Relaxed);
        for (i, t) in self.text.iter().chain([&self.family, &self.category]).enumerate() {
            s.text[i].store(per_mib(t.text.len()), Ordering::Relaxed);
        }
    }

    /// The columns as Arrow arrays, in schema order.
    fn arrays(self) -> Result<Vec<ArrayRef>, ArrowError> {
        let mut text = self.text.into_iter();
        let mut t = || text.next().expect("twelve text columns").array(None);
        let time_nulls = NullBuffer::from(self.time.valid);
        let opt_f64 = |o: Opt<f64>| -> ArrayRef { Arc::new(Float64Array::new(o.vals.into(), Some(o.valid.into()))) };
        let opt_i32 = |o: Opt<i32>| -> ArrayRef { Arc::new(Int32Array::new(o.vals.into(), Some(o.valid.into()))) };
        Ok(vec![
            t()?,
            Arc::new(Int64Array::from(self.line)),
            Arc::new(
                TimestampMicrosecondArray::new(self.time.vals.into(), Some(time_nulls.clone())).with_timezone("UTC"),
            ),
            Arc::new(Int32Array::new(self.offset.into(), Some(time_nulls))),
            t()?,
            t()?,
            t()?,
            t()?,
            t()?,
            opt_i32(self.status),
            t()?,
            t()?,
            Arc::new(Int64Array::from(self.bytes)),
            t()?,
            t()?,
            opt_f64(self.rt),
            opt_f64(self.ut),
            t()?,
            opt_i32(self.ups),
            self.family.array(Some(self.agent_valid.clone()))?,
            self.category.array(Some(self.agent_valid))?,
            t()?,
        ])
    }
}

/// The Arrow schema the rows are written with; the Parquet schema follows
/// from it (strings as BYTE_ARRAY UTF8, the time as TIMESTAMP(MICROS, UTC)).
fn arrow_schema() -> Schema {
    let text = |n: &str| Field::new(n, DataType::LargeUtf8, false);
    Schema::new(vec![
        text("file"),
        Field::new("line", DataType::Int64, false),
        Field::new("time", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), true),
        Field::new("utc_offset_seconds", DataType::Int32, true),
        text("ip"),
        text("user"),
        text("method"),
        text("path"),
        text("protocol"),
        Field::new("status", DataType::Int32, true),
        text("class"),
        text("route"),
        Field::new("bytes", DataType::Int64, false),
        text("referrer"),
        text("user_agent"),
        Field::new("request_time_ms", DataType::Float64, true),
        Field::new("upstream_time_ms", DataType::Float64, true),
        text("host"),
        Field::new("upstream_status", DataType::Int32, true),
        Field::new("agent_family", DataType::LargeUtf8, true),
        Field::new("agent_category", DataType::LargeUtf8, true),
        text("flags"),
    ])
}

/// A chunk's columns as Arrow arrays, and how many of its rows are
/// already in a row group.
struct Part {
    arrays: Vec<ArrayRef>,
    text_end: Vec<u64>,
    taken: usize,
}

/// Cuts chunks into row groups and writes them (on the writer thread of
/// [`ParquetFile`]).
struct Encoder {
    schema: SchemaRef,
    factory: ArrowRowGroupWriterFactory,
    groups: usize,
    tmp: PathBuf,
    path: PathBuf,
    writer: Option<SerializedFileWriter<File>>,
    /// The next row group's rows: slices of chunks' arrays, per column.
    group: Vec<Vec<ArrayRef>>,
    group_rows: usize,
    group_text: u64,
    /// Row group bounds: [`ROW_GROUP`] rows, [`GROUP_TEXT`] bytes of text.
    max_rows: usize,
    max_text: u64,
    /// Rows per write to a column writer ([`PIECE`]).
    piece: usize,
}

fn perr(e: parquet::errors::ParquetError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

impl Encoder {
    /// Start `path` (written as a temporary file beside it until [`finish`](Self::finish)).
    fn create(path: PathBuf) -> std::io::Result<Encoder> {
        Encoder::paged(path, PAGE_BYTES)
    }

    /// [`create`](Self::create) with data pages of `page_bytes` (a test
    /// makes them small, so that pages end between writes).
    fn paged(path: PathBuf, page_bytes: usize) -> std::io::Result<Encoder> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
        let file = File::create(&tmp)?;
        let schema = Arc::new(arrow_schema());
        let parquet_schema = ArrowSchemaConverter::new().convert(&schema).map_err(perr)?;
        // Min/max statistics only on the numeric columns queries prune by
        // (time, status, bytes, durations): on text they cost a comparison
        // and a UTF-8 check per value and rarely prune anything.
        let mut props = WriterProperties::builder();
        for c in [
            "file",
            "ip",
            "user",
            "method",
            "path",
            "protocol",
            "class",
            "route",
            "referrer",
            "user_agent",
            "host",
            "agent_family",
            "agent_category",
            "flags",
        ] {
            props = props.set_column_statistics_enabled(ColumnPath::from(c), EnabledStatistics::None);
        }
        let props = props
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(1).map_err(perr)?))
            .set_dictionary_enabled(true)
            // Dictionaries only pay for low-cardinality columns.
            .set_column_dictionary_enabled(ColumnPath::from("path"), false)
            .set_column_dictionary_enabled(ColumnPath::from("line"), false)
            .set_column_dictionary_enabled(ColumnPath::from("time"), false)
            .set_column_encoding(ColumnPath::from("line"), Encoding::DELTA_BINARY_PACKED)
            .set_column_encoding(ColumnPath::from("time"), Encoding::DELTA_BINARY_PACKED)
            .set_column_dictionary_enabled(ColumnPath::from("bytes"), false)
            .set_column_dictionary_enabled(ColumnPath::from("request_time_ms"), false)
            .set_column_dictionary_enabled(ColumnPath::from("upstream_time_ms"), false)
            .set_data_page_size_limit(page_bytes)
            .set_created_by(format!("logstat {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer =
            SerializedFileWriter::new(file, parquet_schema.root_schema_ptr(), Arc::new(props)).map_err(perr)?;
        let factory = ArrowRowGroupWriterFactory::new(&writer, schema.clone());
        Ok(Encoder {
            group: vec![Vec::new(); schema.fields().len()],
            schema,
            factory,
            groups: 0,
            tmp,
            path,
            writer: Some(writer),
            group_rows: 0,
            group_text: 0,
            max_rows: ROW_GROUP,
            max_text: GROUP_TEXT as u64,
            piece: PIECE,
        })
    }

    /// Add a chunk's rows, writing each row group as it fills: a group ends
    /// after the row that makes it [`ROW_GROUP`] rows or [`GROUP_TEXT`]
    /// bytes of text, wherever the chunks begin and end (so the file does
    /// not depend on the chunking: a column written in several pieces would
    /// be paged differently).
    fn add(&mut self, mut c: Columns) -> std::io::Result<()> {
        c.learn();
        let text_end = std::mem::take(&mut c.text_end);
        let mut part = Part { arrays: c.arrays().map_err(std::io::Error::other)?, text_end, taken: 0 };
        while part.taken < part.text_end.len() {
            let (start, avail) = (part.taken, part.text_end.len() - part.taken);
            let base = if start == 0 { 0 } else { part.text_end[start - 1] };
            // Rows until the group is full by count, or by text: the first
            // row whose text brings the group to the bound.
            let by_rows = self.max_rows - self.group_rows;
            let need = self.max_text - self.group_text;
            let by_text = part.text_end[start..].partition_point(|&e| e - base < need) + 1;
            let k = by_rows.min(by_text).min(avail);
            for (col, a) in self.group.iter_mut().zip(&part.arrays) {
                col.push(a.slice(start, k));
            }
            self.group_rows += k;
            self.group_text += part.text_end[start + k - 1] - base;
            part.taken += k;
            if self.group_rows >= self.max_rows || self.group_text >= self.max_text {
                self.flush_group()?;
            }
        }
        Ok(())
    }

    /// Write the rows gathered as one row group: each column is encoded on
    /// a thread of the pool, [`PIECE`] rows per write, then the columns are
    /// appended in schema order.
    fn flush_group(&mut self) -> std::io::Result<()> {
        use rayon::prelude::*;
        if self.group_rows == 0 {
            return Ok(());
        }
        let group: Vec<Vec<ArrayRef>> = self.group.iter_mut().map(std::mem::take).collect();
        (self.group_rows, self.group_text) = (0, 0);
        let writers = self.factory.create_column_writers(self.groups).map_err(perr)?;
        self.groups += 1;
        // One leaf per field: the schema is flat.
        let piece = self.piece;
        let chunks: Vec<ArrowColumnChunk> = writers
            .into_par_iter()
            .zip(group.into_par_iter().zip(self.schema.fields().par_iter()))
            .map(|(mut w, (slices, field))| {
                for array in pieces(&slices, piece) {
                    for leaf in compute_leaves(field, &array?)? {
                        w.write(&leaf)?;
                    }
                }
                w.close()
            })
            .collect::<Result<_, _>>()
            .map_err(perr)?;
        let w = self.writer.as_mut().expect("open until finish");
        let mut g = w.next_row_group().map_err(perr)?;
        for chunk in chunks {
            chunk.append_to_row_group(&mut g).map_err(perr)?;
        }
        g.close().map_err(perr)?;
        Ok(())
    }

    /// Write the last row group, close the file, sync and rename it into
    /// place.
    fn finish(mut self) -> std::io::Result<()> {
        self.flush_group()?;
        let w = self.writer.take().expect("open until finish");
        let file = w.into_inner().map_err(perr)?;
        file.sync_all()?;
        std::fs::rename(&self.tmp, &self.path)
    }
}

/// Rows per write to a column writer. The writer cuts pages only between
/// the mini-batches of a write, so writes start at the same rows of a row
/// group whatever the chunks were, and the file does not depend on the
/// chunking. Only a piece across two chunks' arrays is copied; joining all
/// of a group's slices into one array per column copied every value once
/// more (5% of an export's samples).
const PIECE: usize = 1024;

/// `slices` (one column's arrays, in row order) as consecutive arrays of
/// `piece` rows (the last one shorter): a slice of one array where it
/// holds the whole piece, else the parts joined.
fn pieces(slices: &[ArrayRef], piece: usize) -> impl Iterator<Item = Result<ArrayRef, ArrowError>> + '_ {
    let (mut at, mut off) = (0, 0);
    std::iter::from_fn(move || {
        let mut parts: Vec<ArrayRef> = Vec::new();
        let mut need = piece;
        while need > 0 && at < slices.len() {
            let a = &slices[at];
            let k = need.min(a.len() - off);
            if k > 0 {
                parts.push(a.slice(off, k));
            }
            (need, off) = (need - k, off + k);
            if off == a.len() {
                (at, off) = (at + 1, 0);
            }
        }
        match parts.len() {
            0 => None,
            1 => parts.pop().map(Ok),
            _ => Some(concat(&parts.iter().map(|a| a.as_ref()).collect::<Vec<_>>())),
        }
    })
}

/// Bytes per data page (the parquet crate's default).
const PAGE_BYTES: usize = 1 << 20;

/// What the engine hands the writer thread.
enum Msg {
    /// A chunk's rows, in file order.
    Rows(Box<Columns>),
    /// The input is complete: write the last row group and rename.
    Finish,
}

/// Chunks in flight to the writer thread at most (memory stays bounded:
/// a chunk's columns are a few MiB).
const IN_FLIGHT: usize = 16;

/// `DIR/records.parquet` being written: chunks' columns go to a writer
/// thread that cuts them into row groups and encodes each (its columns in
/// parallel), so the engine parses the next batch meanwhile. If the run
/// ends without [`finish`](Self::finish), or fails, the temporary file is
/// removed.
pub struct ParquetFile {
    tx: Option<std::sync::mpsc::SyncSender<Msg>>,
    worker: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl ParquetFile {
    /// Start `path` (written as a temporary file beside it until [`finish`](Self::finish)).
    pub fn create(path: PathBuf) -> std::io::Result<ParquetFile> {
        let mut enc = Encoder::create(path)?;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Msg>(IN_FLIGHT);
        let worker = std::thread::Builder::new().name("parquet".into()).spawn(move || {
            let tmp = enc.tmp.clone();
            let res = (|| {
                for m in rx {
                    match m {
                        Msg::Rows(c) => enc.add(*c)?,
                        Msg::Finish => return enc.finish(),
                    }
                }
                // Dropped unfinished (the run failed): no file.
                Err(std::io::Error::other("unfinished"))
            })();
            if res.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            res
        })?;
        Ok(ParquetFile { tx: Some(tx), worker: Some(worker) })
    }

    /// The writer thread's result (it has stopped, or is told to stop).
    fn join(&mut self) -> std::io::Result<()> {
        self.tx = None;
        match self.worker.take().map(std::thread::JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(std::io::Error::other("the Parquet writer thread panicked")),
            None => Ok(()),
        }
    }

    /// Write the last row group, close the file, sync and rename it into
    /// place; on failure, remove the temporary file.
    pub fn finish(mut self) -> std::io::Result<()> {
        if let Some(tx) = &self.tx
            && tx.send(Msg::Finish).is_err()
        {
            // The writer stopped on an error: that error.
            return self.join();
        }
        self.join()
    }
}

impl RecordOut for ParquetFile {
    fn put(&mut self, rows: Rows) -> std::io::Result<()> {
        let Ok(c) = rows.downcast::<Columns>() else {
            return Err(std::io::Error::other("records encoded for another output"));
        };
        let sent = self.tx.as_ref().map(|tx| tx.send(Msg::Rows(c)));
        match sent {
            Some(Ok(())) => Ok(()),
            // The writer stopped on an error: report it (never as a closed pipe).
            _ => Err(self.join().err().unwrap_or_else(|| std::io::Error::other("the Parquet writer has stopped"))),
        }
    }
}

impl Drop for ParquetFile {
    fn drop(&mut self) {
        let _ = self.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::presets::preset;
    use crate::parse::parse_line;

    /// Columns of `lines[range]`, as a worker would build them.
    fn part(lines: &[String], range: std::ops::Range<usize>) -> Columns {
        let fmt = preset("combined").unwrap();
        let sink = ParquetRecords::new(true);
        let mut c = Columns::sized(0, Arc::default());
        let mut route = Vec::new();
        for (i, l) in lines.iter().enumerate().take(range.end).skip(range.start) {
            let r = parse_line(&fmt, l.as_bytes()).unwrap();
            crate::parse::route::normalize(r.target, &mut route);
            let agent = crate::agent::classify(r.user_agent);
            let seen = Counted { rec: &r, line: 0, route: &route, agent: Some(&agent) };
            sink.row(&mut c, "a.log", i as u64 + 1, &seen);
        }
        c
    }

    /// The file written from `lines` cut into chunks at `cuts`, with small
    /// row group bounds.
    fn file(dir: &std::path::Path, lines: &[String], cuts: &[usize]) -> Vec<u8> {
        let path = dir.join(format!("{cuts:?}.parquet"));
        // Pages of a few values: one ends after every write.
        let mut enc = Encoder::paged(path.clone(), 16).unwrap();
        (enc.max_rows, enc.max_text, enc.piece) = (7, 900, 3);
        let mut at = 0;
        for &end in cuts.iter().chain([&lines.len()]) {
            enc.add(part(lines, at..end)).unwrap();
            at = end;
        }
        enc.finish().unwrap();
        std::fs::read(path).unwrap()
    }

    #[test]
    fn row_groups_fall_at_the_same_rows_however_the_chunks_were_cut() {
        // Pages too: they end between writes, and writes of 3 rows start at
        // the same rows whatever the chunks (it fails if writes follow them).
        // Rows of varied text lengths, so both bounds act.
        let lines: Vec<String> = (0..60)
            .map(|i| {
                let ua = "Mozilla/5.0 ".repeat(i % 9 * 3);
                format!(
                    "192.0.2.{i} - - [10/Oct/2023:13:55:{:02} +0200] \"GET /users/{i} HTTP/1.1\" {} {i} \"-\" \"{ua}\"",
                    i % 60,
                    200 + i % 5
                )
            })
            .collect();
        let dir = std::env::temp_dir().join(format!("logstat-pq-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let whole = file(&dir, &lines, &[]);
        let singles: Vec<usize> = (1..60).collect();
        assert!(whole == file(&dir, &lines, &singles), "one row per chunk");
        assert!(whole == file(&dir, &lines, &[13, 14, 33, 59]), "uneven chunks");
        assert!(whole == file(&dir, &lines, &[0, 0, 30]), "empty chunks");
        // Both bounds cut: more groups than rows alone would make (60 / 7).
        let groups = {
            let path = dir.join("[].parquet");
            let f = File::open(path).unwrap();
            parquet::file::reader::FileReader::num_row_groups(
                &parquet::file::serialized_reader::SerializedFileReader::new(f).unwrap(),
            )
        };
        assert!(groups > 9, "{groups} row groups");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
