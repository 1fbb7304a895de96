//! A small Parquet writer: one row group, one uncompressed PLAIN data page per column,
//! optional (nullable) columns of strings, 64-bit integers, doubles and booleans. Enough for
//! result tables, without a heavy dependency; the tests read its files back with pyarrow.
//!
//! Format: "PAR1", column chunks (page header + definition levels + values), the Thrift
//! compact-encoded `FileMetaData`, its length, "PAR1".

/// One column of values, `None` for null.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Text(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Float(v) => v.len(),
            Column::Bool(v) => v.len(),
        }
    }

    fn physical_type(&self) -> i32 {
        match self {
            Column::Bool(_) => 0,
            Column::Int(_) => 2,
            Column::Float(_) => 5,
            Column::Text(_) => 6,
        }
    }

    fn present(&self) -> Vec<bool> {
        match self {
            Column::Text(v) => v.iter().map(Option::is_some).collect(),
            Column::Int(v) => v.iter().map(Option::is_some).collect(),
            Column::Float(v) => v.iter().map(Option::is_some).collect(),
            Column::Bool(v) => v.iter().map(Option::is_some).collect(),
        }
    }

    /// PLAIN-encoded non-null values.
    fn plain(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            Column::Text(v) => {
                for s in v.iter().flatten() {
                    out.extend((s.len() as u32).to_le_bytes());
                    out.extend(s.as_bytes());
                }
            }
            Column::Int(v) => v.iter().flatten().for_each(|x| out.extend(x.to_le_bytes())),
            Column::Float(v) => v.iter().flatten().for_each(|x| out.extend(x.to_le_bytes())),
            Column::Bool(v) => {
                let bits: Vec<bool> = v.iter().flatten().copied().collect();
                out = pack_bits(&bits);
            }
        }
        out
    }
}

fn pack_bits(bits: &[bool]) -> Vec<u8> {
    let mut out = vec![0u8; bits.len().div_ceil(8)];
    for (i, &b) in bits.iter().enumerate() {
        if b {
            out[i / 8] |= 1 << (i % 8);
        }
    }
    out
}

/// Definition levels (max level 1) in the RLE / bit-packing hybrid, one bit-packed run,
/// prefixed by its byte length.
fn definition_levels(present: &[bool]) -> Vec<u8> {
    let groups = present.len().div_ceil(8);
    let mut run = Vec::new();
    varint(&mut run, ((groups as u64) << 1) | 1);
    let mut padded = present.to_vec();
    padded.resize(groups * 8, false);
    run.extend(pack_bits(&padded));
    let mut out = (run.len() as u32).to_le_bytes().to_vec();
    out.extend(run);
    out
}

fn varint(out: &mut Vec<u8>, mut x: u64) {
    loop {
        let byte = (x & 0x7f) as u8;
        x >>= 7;
        if x == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn zigzag(x: i64) -> u64 {
    ((x << 1) ^ (x >> 63)) as u64
}

/// Thrift compact protocol, just what Parquet's metadata needs.
struct Thrift {
    out: Vec<u8>,
    last: Vec<i16>,
}

const I32: u8 = 5;
const I64: u8 = 6;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const STRUCT: u8 = 12;

impl Thrift {
    fn new() -> Thrift {
        Thrift {
            out: Vec::new(),
            last: vec![0],
        }
    }

    fn field(&mut self, id: i16, kind: u8) {
        let last = self.last.last_mut().expect("in a struct");
        let delta = id - *last;
        if (1..=15).contains(&delta) {
            self.out.push(((delta as u8) << 4) | kind);
        } else {
            self.out.push(kind);
            varint(&mut self.out, zigzag(i64::from(id)));
        }
        *last = id;
    }

    fn i32(&mut self, id: i16, v: i32) {
        self.field(id, I32);
        varint(&mut self.out, zigzag(i64::from(v)));
    }

    fn i64(&mut self, id: i16, v: i64) {
        self.field(id, I64);
        varint(&mut self.out, zigzag(v));
    }

    fn string(&mut self, id: i16, s: &str) {
        self.field(id, BINARY);
        varint(&mut self.out, s.len() as u64);
        self.out.extend(s.as_bytes());
    }

    fn list_header(&mut self, id: i16, kind: u8, n: usize) {
        self.field(id, LIST);
        if n < 15 {
            self.out.push(((n as u8) << 4) | kind);
        } else {
            self.out.push(0xf0 | kind);
            varint(&mut self.out, n as u64);
        }
    }

    fn begin(&mut self, id: Option<i16>) {
        if let Some(id) = id {
            self.field(id, STRUCT);
        }
        self.last.push(0);
    }

    fn end(&mut self) {
        self.out.push(0);
        self.last.pop();
    }
}

/// Writes columns (all of one length) as a Parquet file.
pub fn write(columns: &[(&str, Column)]) -> Vec<u8> {
    let rows = columns.first().map_or(0, |c| c.1.len());
    let mut file = b"PAR1".to_vec();
    let mut chunks = Vec::new();
    for (name, col) in columns {
        let mut data = definition_levels(&col.present());
        data.extend(col.plain());
        let mut header = Thrift::new();
        header.i32(1, 0); // DATA_PAGE
        header.i32(2, data.len() as i32);
        header.i32(3, data.len() as i32);
        header.begin(Some(5));
        header.i32(1, rows as i32);
        header.i32(2, 0); // PLAIN
        header.i32(3, 3); // RLE definition levels
        header.i32(4, 3); // RLE repetition levels
        header.end();
        header.out.push(0);
        let offset = file.len() as i64;
        let size = (header.out.len() + data.len()) as i64;
        file.extend(header.out);
        file.extend(data);
        chunks.push((name.to_string(), col.physical_type(), offset, size));
    }
    let mut m = Thrift::new();
    m.i32(1, 1);
    m.list_header(2, STRUCT, columns.len() + 1);
    m.begin(None);
    m.string(4, "schema");
    m.i32(5, columns.len() as i32);
    m.end();
    for (name, col) in columns {
        m.begin(None);
        m.i32(1, col.physical_type());
        m.i32(3, 1); // OPTIONAL
        m.string(4, name);
        if matches!(col, Column::Text(_)) {
            m.i32(6, 0); // UTF8
        }
        m.end();
    }
    m.i64(3, rows as i64);
    m.list_header(4, STRUCT, 1);
    m.begin(None);
    m.list_header(1, STRUCT, chunks.len());
    for (name, kind, offset, size) in &chunks {
        m.begin(None);
        m.i64(2, *offset);
        m.begin(Some(3));
        m.i32(1, *kind);
        m.list_header(2, I32, 2);
        varint(&mut m.out, zigzag(0));
        varint(&mut m.out, zigzag(3));
        m.list_header(3, BINARY, 1);
        varint(&mut m.out, name.len() as u64);
        m.out.extend(name.as_bytes());
        m.i32(4, 0); // UNCOMPRESSED
        m.i64(5, rows as i64);
        m.i64(6, *size);
        m.i64(7, *size);
        m.i64(9, *offset);
        m.end();
        m.end();
    }
    let total: i64 = chunks.iter().map(|c| c.3).sum();
    m.i64(2, total);
    m.i64(3, rows as i64);
    m.end();
    m.string(6, concat!("zopa ", env!("CARGO_PKG_VERSION")));
    m.out.push(0);
    let len = m.out.len() as u32;
    file.extend(m.out);
    file.extend(len.to_le_bytes());
    file.extend(b"PAR1");
    file
}
