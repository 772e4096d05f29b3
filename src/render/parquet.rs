//! Records as Parquet: one row per counted line with typed columns, for
//! DuckDB, Spark, Trino and ClickHouse. Workers encode each record into a
//! compact row in their chunk's buffer ([`ParquetRecords`], a
//! `RecordSink`); the engine hands the buffers over in file order to
//! [`ParquetFile`], which gathers rows into column vectors and writes a row
//! group every [`ROW_GROUP`] rows (memory stays bounded), zstd-compressed,
//! dictionary-encoded; the file is written under a temporary name and
//! renamed when complete, so an interrupted run leaves no partial file.
//!
//! `time` is a UTC timestamp (microseconds, adjusted to UTC) and
//! `utc_offset_seconds` the offset the log wrote, so local time is
//! `time + utc_offset_seconds`. Text columns hold the same escaped text as
//! records CSV (valid UTF-8 whatever the log's bytes).

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use parquet::basic::{Compression, ZstdLevel};
use parquet::column::writer::{ColumnCloseResult, ColumnWriter, get_column_writer};
use parquet::data_type::ByteArray;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterPropertiesPtr};
use parquet::file::writer::{SerializedFileWriter, SerializedPageWriter, TrackedWrite};
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::{ColumnDescPtr, ColumnPath, SchemaDescriptor};

use crate::engine::RecordSink;
use crate::parse::{Record, route};
use crate::status::{CLASS_NAMES, class_index};
use crate::zone::Zone;

/// Rows per row group.
pub const ROW_GROUP: usize = 131_072;

const SCHEMA: &str = "message records {
  REQUIRED BYTE_ARRAY file (UTF8);
  REQUIRED INT64 line;
  OPTIONAL INT64 time (TIMESTAMP(MICROS,true));
  OPTIONAL INT32 utc_offset_seconds;
  REQUIRED BYTE_ARRAY ip (UTF8);
  REQUIRED BYTE_ARRAY user (UTF8);
  REQUIRED BYTE_ARRAY method (UTF8);
  REQUIRED BYTE_ARRAY path (UTF8);
  REQUIRED BYTE_ARRAY protocol (UTF8);
  OPTIONAL INT32 status;
  REQUIRED BYTE_ARRAY class (UTF8);
  REQUIRED BYTE_ARRAY route (UTF8);
  REQUIRED INT64 bytes;
  REQUIRED BYTE_ARRAY referrer (UTF8);
  REQUIRED BYTE_ARRAY user_agent (UTF8);
  OPTIONAL DOUBLE request_time_ms;
  OPTIONAL DOUBLE upstream_time_ms;
  REQUIRED BYTE_ARRAY host (UTF8);
  OPTIONAL INT32 upstream_status;
  OPTIONAL BYTE_ARRAY agent_family (UTF8);
  OPTIONAL BYTE_ARRAY agent_category (UTF8);
  REQUIRED BYTE_ARRAY flags (UTF8);
}";

/// Text columns, in schema order after their numeric neighbours.
const TEXTS: usize = 12;

/// Encodes each record as a row (see the module docs). With `agents`
/// (`--who`), each user agent's family and category (as the agents report
/// names them) fill `agent_family` and `agent_category`; otherwise they are
/// null.
pub struct ParquetRecords {
    /// Classify user agents.
    pub agents: bool,
}

/// Distinct user agents classified per worker before its cache starts
/// again (hostile input cannot grow it).
const AGENT_CACHE: usize = 16_384;

type AgentCache = hashbrown::HashMap<Box<[u8]>, (Box<str>, &'static str)>;

/// Append escaped text, length first; `tmp` is reused (no allocation per
/// field once grown).
fn put_text(out: &mut Vec<u8>, tmp: &mut String, bytes: &[u8]) {
    tmp.clear();
    crate::text::escape_into(bytes, tmp);
    out.extend_from_slice(&(tmp.len() as u32).to_le_bytes());
    out.extend_from_slice(tmp.as_bytes());
}

thread_local! {
    /// A worker's route and text buffers, reused from record to record.
    static SCRATCH: std::cell::RefCell<(Vec<u8>, String)> = const { std::cell::RefCell::new((Vec::new(), String::new())) };
    /// A worker's classified agents.
    static AGENTS: std::cell::RefCell<AgentCache> = std::cell::RefCell::new(AgentCache::new());
}

fn put_opt(out: &mut Vec<u8>, v: Option<i64>) {
    match v {
        Some(x) => {
            out.push(1);
            out.extend_from_slice(&x.to_le_bytes());
        }
        None => out.push(0),
    }
}

impl RecordSink for ParquetRecords {
    fn header(&self) -> Vec<u8> {
        Vec::new()
    }

    fn write(&self, out: &mut Vec<u8>, file: &str, line: u64, r: &Record, _zone: &Zone) {
        SCRATCH.with_borrow_mut(|(route_buf, tmp)| self.row(out, route_buf, tmp, file, line, r))
    }
}

impl ParquetRecords {
    fn row(&self, out: &mut Vec<u8>, route_buf: &mut Vec<u8>, tmp: &mut String, file: &str, line: u64, r: &Record) {
        let route: &[u8] = match r.method {
            Some(_) => {
                route::normalize(r.target, route_buf);
                route_buf
            }
            None => route::NO_ROUTE,
        };
        let mut put_text = |out: &mut Vec<u8>, b: &[u8]| put_text(out, tmp, b);
        put_text(out, file.as_bytes());
        out.extend_from_slice(&(line as i64).to_le_bytes());
        put_opt(out, r.time.map(|t| t.unix * 1_000_000));
        put_opt(out, r.time.map(|t| t.offset as i64));
        put_text(out, r.client);
        put_text(out, r.user);
        put_text(out, r.method.unwrap_or(b"(none)"));
        put_text(out, r.target);
        put_text(out, r.protocol);
        put_opt(out, r.status.map(|s| s as i64));
        put_text(out, CLASS_NAMES[class_index(r.status)].as_bytes());
        put_text(out, route);
        out.extend_from_slice(&(r.bytes as i64).to_le_bytes());
        put_text(out, r.referrer);
        put_text(out, r.user_agent);
        put_opt(out, r.request_time_us.map(|u| u as i64));
        put_opt(out, r.upstream_time_us.map(|u| u as i64));
        put_text(out, r.vhost);
        put_opt(out, r.upstream_status.map(|s| s as i64));
        put_text(out, r.flags);
        if !self.agents {
            out.extend_from_slice(&[0, 0]);
            return;
        }
        AGENTS.with_borrow_mut(|cache| {
            if cache.len() >= AGENT_CACHE && !cache.contains_key(r.user_agent) {
                cache.clear();
            }
            if !cache.contains_key(r.user_agent) {
                let a = crate::agent::classify(r.user_agent);
                cache.insert(r.user_agent.into(), (a.family, a.category.name()));
            }
            let (family, category) = &cache[r.user_agent];
            out.push(1);
            put_text(out, family.as_bytes());
            out.push(1);
            put_text(out, category.as_bytes());
        });
    }
}

/// One text column's values: their bytes back to back, and where each ends.
#[derive(Default)]
struct TextCol {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl TextCol {
    fn push(&mut self, t: &[u8]) {
        self.bytes.extend_from_slice(t);
        self.ends.push(self.bytes.len());
    }

    /// The values as byte arrays sharing one buffer (no copy per value).
    fn values(self) -> Vec<ByteArray> {
        let buf = bytes::Bytes::from(self.bytes);
        let mut start = 0;
        self.ends
            .into_iter()
            .map(|end| {
                let v = ByteArray::from(buf.slice(start..end));
                start = end;
                v
            })
            .collect()
    }
}

/// Column vectors of the rows not yet written.
#[derive(Default)]
struct Columns {
    text: [TextCol; TEXTS],
    line: Vec<i64>,
    time: Vec<i64>,
    time_def: Vec<i16>,
    offset: Vec<i32>,
    status: Vec<i32>,
    status_def: Vec<i16>,
    bytes: Vec<i64>,
    rt: Vec<f64>,
    rt_def: Vec<i16>,
    ut: Vec<f64>,
    ut_def: Vec<i16>,
    ups: Vec<i32>,
    ups_def: Vec<i16>,
    family: TextCol,
    category: TextCol,
    agent_def: Vec<i16>,
    rows: usize,
}

/// One column's values for a row group.
enum Data {
    Text(TextCol),
    OptText(TextCol, Vec<i16>),
    I64(Vec<i64>, Option<Vec<i16>>),
    I32(Vec<i32>, Option<Vec<i16>>),
    F64(Vec<f64>, Option<Vec<i16>>),
}

/// Encode one column chunk into its own buffer.
fn encode(
    descr: ColumnDescPtr,
    props: WriterPropertiesPtr,
    data: Data,
) -> parquet::errors::Result<(bytes::Bytes, ColumnCloseResult)> {
    let mut sink = TrackedWrite::new(Vec::new());
    let mut cw = get_column_writer(descr, props, Box::new(SerializedPageWriter::new(&mut sink)));
    match (&mut cw, data) {
        (ColumnWriter::ByteArrayColumnWriter(w), Data::Text(t)) => {
            w.write_batch(&t.values(), None, None)?;
        }
        (ColumnWriter::ByteArrayColumnWriter(w), Data::OptText(t, d)) => {
            w.write_batch(&t.values(), Some(&d), None)?;
        }
        (ColumnWriter::Int64ColumnWriter(w), Data::I64(v, d)) => {
            w.write_batch(&v, d.as_deref(), None)?;
        }
        (ColumnWriter::Int32ColumnWriter(w), Data::I32(v, d)) => {
            w.write_batch(&v, d.as_deref(), None)?;
        }
        (ColumnWriter::DoubleColumnWriter(w), Data::F64(v, d)) => {
            w.write_batch(&v, d.as_deref(), None)?;
        }
        _ => return Err(parquet::errors::ParquetError::General("column type mismatch".into())),
    }
    let close = cw.close()?;
    Ok((bytes::Bytes::from(sink.into_inner()?), close))
}

/// Reads the rows [`ParquetRecords`] encoded and writes the file (on the
/// writer thread of [`ParquetFile`]).
struct Encoder {
    descr: Arc<SchemaDescriptor>,
    props: WriterPropertiesPtr,
    tmp: PathBuf,
    path: PathBuf,
    writer: Option<SerializedFileWriter<File>>,
    pending: Vec<u8>,
    cols: Columns,
    error: Option<std::io::Error>,
}

fn perr(e: parquet::errors::ParquetError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.at..self.at + n)?;
        self.at += n;
        Some(s)
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn text(&mut self) -> Option<&'a [u8]> {
        let n = u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize;
        self.take(n)
    }
    fn opt_text(&mut self) -> Option<Option<&'a [u8]>> {
        match self.take(1)?[0] {
            0 => Some(None),
            _ => Some(Some(self.text()?)),
        }
    }
    fn opt(&mut self) -> Option<Option<i64>> {
        match self.take(1)?[0] {
            0 => Some(None),
            _ => Some(Some(self.i64()?)),
        }
    }
}

impl Encoder {
    /// Start `path` (written as a temporary file beside it until [`finish`](Self::finish)).
    fn create(path: PathBuf) -> std::io::Result<Encoder> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
        let file = File::create(&tmp)?;
        let schema = Arc::new(parse_message_type(SCHEMA).map_err(perr)?);
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
            .set_column_dictionary_enabled(ColumnPath::from("referrer"), false)
            .set_column_dictionary_enabled(ColumnPath::from("user_agent"), false)
            .set_column_dictionary_enabled(ColumnPath::from("line"), false)
            .set_column_dictionary_enabled(ColumnPath::from("time"), false)
            .set_column_dictionary_enabled(ColumnPath::from("bytes"), false)
            .set_column_dictionary_enabled(ColumnPath::from("request_time_ms"), false)
            .set_column_dictionary_enabled(ColumnPath::from("upstream_time_ms"), false)
            .set_created_by(format!("logstat {}", env!("CARGO_PKG_VERSION")))
            .build();
        let props = Arc::new(props);
        let descr = Arc::new(SchemaDescriptor::new(schema.clone()));
        let writer = SerializedFileWriter::new(file, schema, props.clone()).map_err(perr)?;
        Ok(Encoder {
            descr,
            props,
            tmp,
            path,
            writer: Some(writer),
            pending: Vec::new(),
            cols: Columns::default(),
            error: None,
        })
    }

    /// Parse the complete rows held.
    fn take_rows(&mut self) {
        let mut r = Reader { b: &self.pending, at: 0 };
        while r.at < self.pending.len() {
            let start = r.at;
            if Self::row(&mut r, &mut self.cols).is_none() {
                // A row not complete yet stays pending.
                r.at = start;
                break;
            }
        }
        let used = r.at;
        self.pending.drain(..used);
    }

    fn row(r: &mut Reader, c: &mut Columns) -> Option<()> {
        // Read the whole row first: a partial one stays pending.
        let file = r.text()?;
        let line = r.i64()?;
        let time = r.opt()?;
        let offset = r.opt()?;
        let mut texts: [&[u8]; TEXTS] = [&[]; TEXTS];
        texts[0] = file;
        for t in texts.iter_mut().take(6).skip(1) {
            *t = r.text()?;
        }
        let status = r.opt()?;
        texts[6] = r.text()?;
        texts[7] = r.text()?;
        let bytes = r.i64()?;
        texts[8] = r.text()?;
        texts[9] = r.text()?;
        let rt = r.opt()?;
        let ut = r.opt()?;
        texts[10] = r.text()?;
        let ups = r.opt()?;
        texts[11] = r.text()?;
        let family = r.opt_text()?;
        let category = r.opt_text()?;
        for (col, t) in c.text.iter_mut().zip(texts) {
            col.push(t);
        }
        c.line.push(line);
        c.time_def.push(time.is_some() as i16);
        if let Some(t) = time {
            c.time.push(t);
            c.offset.push(offset.unwrap_or(0) as i32);
        }
        c.status_def.push(status.is_some() as i16);
        if let Some(s) = status {
            c.status.push(s as i32);
        }
        c.bytes.push(bytes);
        c.rt_def.push(rt.is_some() as i16);
        if let Some(us) = rt {
            c.rt.push(us as f64 / 1000.0);
        }
        c.ut_def.push(ut.is_some() as i16);
        if let Some(us) = ut {
            c.ut.push(us as f64 / 1000.0);
        }
        c.ups_def.push(ups.is_some() as i16);
        if let Some(s) = ups {
            c.ups.push(s as i32);
        }
        c.agent_def.push(family.is_some() as i16);
        if let (Some(f), Some(k)) = (family, category) {
            c.family.push(f);
            c.category.push(k);
        }
        c.rows += 1;
        Some(())
    }

    /// Write the rows gathered as one row group: its columns are encoded
    /// in parallel, each into its own buffer, then appended in schema order.
    fn flush_group(&mut self) -> std::io::Result<()> {
        use rayon::prelude::*;
        if self.cols.rows == 0 {
            return Ok(());
        }
        let c = std::mem::take(&mut self.cols);
        let mut text = c.text.into_iter();
        let mut t = || Data::Text(text.next().expect("twelve text columns"));
        // Schema order.
        let jobs = vec![
            t(),
            Data::I64(c.line, None),
            Data::I64(c.time, Some(c.time_def.clone())),
            Data::I32(c.offset, Some(c.time_def)),
            t(),
            t(),
            t(),
            t(),
            t(),
            Data::I32(c.status, Some(c.status_def)),
            t(),
            t(),
            Data::I64(c.bytes, None),
            t(),
            t(),
            Data::F64(c.rt, Some(c.rt_def)),
            Data::F64(c.ut, Some(c.ut_def)),
            t(),
            Data::I32(c.ups, Some(c.ups_def)),
            Data::OptText(c.family, c.agent_def.clone()),
            Data::OptText(c.category, c.agent_def),
            t(),
        ];
        let descr = self.descr.clone();
        let props = self.props.clone();
        let chunks: Vec<(bytes::Bytes, ColumnCloseResult)> = jobs
            .into_par_iter()
            .enumerate()
            .map(|(i, data)| encode(descr.column(i), props.clone(), data))
            .collect::<Result<_, _>>()
            .map_err(perr)?;
        let w = self.writer.as_mut().expect("open until finish");
        let mut g = w.next_row_group().map_err(perr)?;
        for (bytes, close) in chunks {
            g.append_column(&bytes, close).map_err(perr)?;
        }
        g.close().map_err(perr)?;
        Ok(())
    }

    /// Write the last row group, close the file, sync and rename it into
    /// place; on failure, remove the temporary file.
    fn finish(mut self) -> std::io::Result<()> {
        let res = (|| {
            if let Some(e) = self.error.take() {
                return Err(e);
            }
            self.take_rows();
            self.flush_group()?;
            let w = self.writer.take().expect("open until finish");
            let file = w.into_inner().map_err(perr)?;
            file.sync_all()?;
            std::fs::rename(&self.tmp, &self.path)
        })();
        if res.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        res
    }
}

impl Write for Encoder {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            // The usual case: whole rows, read straight from the buffer.
            let mut r = Reader { b: buf, at: 0 };
            while r.at < buf.len() {
                let start = r.at;
                if Self::row(&mut r, &mut self.cols).is_none() {
                    r.at = start;
                    break;
                }
            }
            self.pending.extend_from_slice(&buf[r.at..]);
        } else {
            self.pending.extend_from_slice(buf);
            self.take_rows();
        }
        if self.cols.rows >= ROW_GROUP {
            self.flush_group().inspect_err(|e| {
                self.error.get_or_insert_with(|| std::io::Error::new(e.kind(), e.to_string()));
            })?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What the engine hands the writer thread.
enum Msg {
    /// Encoded rows, in file order.
    Rows(Vec<u8>),
    /// The input is complete: write the last row group and rename.
    Finish,
}

/// `DIR/records.parquet` being written: rows go to a writer thread that
/// gathers them into columns and encodes each row group (its columns in
/// parallel), so the engine parses the next batch meanwhile. If the run
/// ends without [`finish`](Self::finish), the temporary file is removed.
pub struct ParquetFile {
    tx: Option<std::sync::mpsc::SyncSender<Msg>>,
    worker: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl ParquetFile {
    /// Start `path` (written as a temporary file beside it until [`finish`](Self::finish)).
    pub fn create(path: PathBuf) -> std::io::Result<ParquetFile> {
        let mut enc = Encoder::create(path)?;
        // Two batches in flight at most: memory stays bounded.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Msg>(2);
        let worker = std::thread::Builder::new().name("parquet".into()).spawn(move || {
            for m in rx {
                match m {
                    Msg::Rows(b) => {
                        if let Err(e) = enc.write_all(&b) {
                            let _ = std::fs::remove_file(&enc.tmp);
                            return Err(e);
                        }
                    }
                    Msg::Finish => return enc.finish(),
                }
            }
            // Dropped unfinished (the run failed): no partial file.
            let _ = std::fs::remove_file(&enc.tmp);
            Ok(())
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

impl Write for ParquetFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let sent = self.tx.as_ref().map(|tx| tx.send(Msg::Rows(buf.to_vec())));
        match sent {
            Some(Ok(())) => Ok(buf.len()),
            // The writer stopped on an error: report it (never as a closed pipe).
            _ => Err(self.join().err().unwrap_or_else(|| std::io::Error::other("the Parquet writer has stopped"))),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for ParquetFile {
    fn drop(&mut self) {
        let _ = self.join();
    }
}
