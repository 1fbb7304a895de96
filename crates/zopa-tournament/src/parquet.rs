//! Parquet files of result tables, through the `parquet` crate (its Arrow and async parts left
//! out; Snappy compression only): nullable columns of strings, 64-bit integers, doubles and
//! booleans, written a row group at a time. An export holds one row group of rows in memory,
//! not the table: [`Writer::group`] writes each group as it is filled.

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

/// Rows per row group of the exports: a group's rows are what an export holds in memory.
pub const ROWS_PER_GROUP: usize = 65_536;

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

    fn physical(&self) -> (Physical, Option<LogicalType>) {
        match self {
            Column::Text(_) => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
            Column::Int(_) => (Physical::INT64, None),
            Column::Float(_) => (Physical::DOUBLE, None),
            Column::Bool(_) => (Physical::BOOLEAN, None),
        }
    }
}

/// A Parquet error, in words.
fn words(e: parquet::errors::ParquetError) -> String {
    format!("writing Parquet failed: {e}")
}

/// Definition levels (1: a value, 0: null) and the values present.
fn split<T: Clone>(values: &[Option<T>]) -> (Vec<i16>, Vec<T>) {
    let levels = values.iter().map(|v| i16::from(v.is_some())).collect();
    (levels, values.iter().flatten().cloned().collect())
}

/// A Parquet file being written, one row group at a time.
pub struct Writer<W: Write + Send> {
    inner: SerializedFileWriter<W>,
    names: Vec<String>,
}

impl<W: Write + Send> Writer<W> {
    /// Starts a file whose columns are named and typed as `schema`'s (their values unused).
    pub fn new(out: W, schema: &[(&str, Column)]) -> Result<Writer<W>, String> {
        let fields = schema
            .iter()
            .map(|(name, c)| {
                let (physical, logical) = c.physical();
                Type::primitive_type_builder(name, physical)
                    .with_repetition(Repetition::OPTIONAL)
                    .with_logical_type(logical)
                    .build()
                    .map(Arc::new)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(words)?;
        let root = Type::group_type_builder("schema")
            .with_fields(fields)
            .build()
            .map_err(words)?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let inner =
            SerializedFileWriter::new(out, Arc::new(root), Arc::new(properties)).map_err(words)?;
        Ok(Writer {
            inner,
            names: schema.iter().map(|(n, _)| n.to_string()).collect(),
        })
    }

    /// Writes one row group: the columns in schema order, all of the same length.
    pub fn group(&mut self, columns: &[(&str, Column)]) -> Result<(), String> {
        let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
        if names != self.names {
            return Err(format!(
                "a row group's columns ({}) are not the file's ({})",
                names.join(", "),
                self.names.join(", ")
            ));
        }
        let rows = columns.first().map_or(0, |(_, c)| c.len());
        if let Some((name, _)) = columns.iter().find(|(_, c)| c.len() != rows) {
            return Err(format!("column `{name}` has not {rows} rows"));
        }
        let mut group = self.inner.next_row_group().map_err(words)?;
        for (name, column) in columns {
            let Some(mut writer) = group.next_column().map_err(words)? else {
                return Err(format!("the file has no column `{name}`"));
            };
            let written = match (writer.untyped(), column) {
                (ColumnWriter::ByteArrayColumnWriter(w), Column::Text(v)) => {
                    let (levels, values) = split(v);
                    let values: Vec<ByteArray> = values
                        .into_iter()
                        .map(|s| ByteArray::from(s.into_bytes()))
                        .collect();
                    w.write_batch(&values, Some(&levels), None)
                }
                (ColumnWriter::Int64ColumnWriter(w), Column::Int(v)) => {
                    let (levels, values) = split(v);
                    w.write_batch(&values, Some(&levels), None)
                }
                (ColumnWriter::DoubleColumnWriter(w), Column::Float(v)) => {
                    let (levels, values) = split(v);
                    w.write_batch(&values, Some(&levels), None)
                }
                (ColumnWriter::BoolColumnWriter(w), Column::Bool(v)) => {
                    let (levels, values) = split(v);
                    w.write_batch(&values, Some(&levels), None)
                }
                _ => return Err(format!("column `{name}` is not of the file's type")),
            };
            written.map_err(words)?;
            writer.close().map_err(words)?;
        }
        group.close().map_err(words)?;
        Ok(())
    }

    /// Writes the footer; the file is complete.
    pub fn finish(self) -> Result<(), String> {
        self.inner.close().map(|_| ()).map_err(words)
    }
}

/// A whole table as a Parquet file, in row groups of [`ROWS_PER_GROUP`] rows.
pub fn write(columns: &[(&str, Column)]) -> Result<Vec<u8>, String> {
    let rows = columns.first().map_or(0, |(_, c)| c.len());
    if let Some((name, _)) = columns.iter().find(|(_, c)| c.len() != rows) {
        return Err(format!("column `{name}` has not {rows} rows"));
    }
    let mut out = Vec::new();
    let mut w = Writer::new(&mut out, columns)?;
    let mut at = 0;
    loop {
        let end = (at + ROWS_PER_GROUP).min(rows);
        let slice: Vec<(&str, Column)> = columns
            .iter()
            .map(|(n, c)| {
                let part = match c {
                    Column::Text(v) => Column::Text(v[at..end].to_vec()),
                    Column::Int(v) => Column::Int(v[at..end].to_vec()),
                    Column::Float(v) => Column::Float(v[at..end].to_vec()),
                    Column::Bool(v) => Column::Bool(v[at..end].to_vec()),
                };
                (*n, part)
            })
            .collect();
        w.group(&slice)?;
        at = end;
        if at >= rows {
            break;
        }
    }
    w.finish()?;
    Ok(out)
}
