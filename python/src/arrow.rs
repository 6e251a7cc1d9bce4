//! A polars frame handed to Python as an `arrow_array_stream` capsule
//! (the Arrow `PyCapsule` interface): the consumer's own Arrow library
//! imports it, so the wheel ties no Python package to our polars version.

use std::ffi::CString;

use polars::prelude::{ArrowField, CompatLevel, DataFrame};
use polars_arrow::array::{Array, StructArray};
use polars_arrow::datatypes::ArrowDataType;
use polars_arrow::ffi;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

/// The capsule name the `PyCapsule` interface gives a C stream.
const STREAM_CAPSULE: &str = "arrow_array_stream";

/// `frame` as a capsule holding an `ArrowArrayStream` of one struct array per
/// chunk; releasing the capsule unconsumed releases the stream.
pub fn stream_capsule(py: Python<'_>, mut frame: DataFrame) -> PyResult<Bound<'_, PyCapsule>> {
    frame.rechunk_mut();
    let (field, batches) = struct_batches(&frame);
    let stream = ffi::export_iterator(Box::new(batches.into_iter().map(Ok)), field);
    let name = CString::new(STREAM_CAPSULE).unwrap_or_default();
    PyCapsule::new(py, stream, Some(name))
}

/// A table on the C stream interface is a stream of struct arrays whose
/// fields are the columns.
fn struct_batches(frame: &DataFrame) -> (ArrowField, Vec<Box<dyn Array>>) {
    let level = CompatLevel::newest();
    let fields: Vec<ArrowField> = frame.columns().iter().map(|c| c.field().to_arrow(level)).collect();
    let dtype = ArrowDataType::Struct(fields);
    let batches = frame
        .iter_chunks(level, false)
        .map(|batch| {
            let height = batch.height();
            Box::new(StructArray::new(dtype.clone(), height, batch.into_arrays(), None)) as Box<dyn Array>
        })
        .collect();
    (ArrowField::new("".into(), dtype, false), batches)
}
