//! The `pyrunlens._native` extension module: runlens's reader and analysis
//! for Python, every table handed over through Arrow's C stream interface
//! so any polars, pyarrow or `DuckDB` version reads it. The typed, documented
//! API is the Python layer (`pyrunlens/__init__.py`); this is its engine.
//!
//! pyo3 is used without its proc macros (see Cargo.toml), so the module and
//! its functions are put together by hand here.

mod analyze;
mod arrow;
mod read;

use std::cell::UnsafeCell;
use std::ffi::CStr;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyCFunction, PyDict, PyList, PyTuple};

pyo3::create_exception!(
    pyrunlens,
    RunlensError,
    PyValueError,
    "A file, an archive member or a setting runlens cannot use; the message names it and says why."
);

type Closure = fn(&Bound<'_, PyTuple>, Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>>;

/// The module's functions: name, docstring, body. Each takes positional
/// arguments only; the Python layer names and checks them.
const FUNCTIONS: [(&CStr, &CStr, Closure); 3] = [
    (c"read", c"read(path) -> (samples stream, summary stream)", read_one),
    (c"read_many", c"read_many(paths) -> list of (samples, summary) or error message", read_many),
    (c"analyze", c"analyze(argv) -> (list of (table name, stream), summary JSON)", analyze_args),
];

/// The module's definition: the interpreter only accepts a single-phase module
/// created from one (`PyModule_Create`), not a bare module object.
struct ModuleDef(UnsafeCell<pyo3::ffi::PyModuleDef>);

// SAFETY: CPython only touches the definition under the GIL, at import.
unsafe impl Sync for ModuleDef {}

static MODULE_DEF: ModuleDef = ModuleDef(UnsafeCell::new(pyo3::ffi::PyModuleDef {
    m_base: pyo3::ffi::PyModuleDef_HEAD_INIT,
    m_name: c"pyrunlens._native".as_ptr(),
    m_doc: c"runlens's engine; use the pyrunlens package.".as_ptr(),
    m_size: -1,
    m_methods: std::ptr::null_mut(),
    m_slots: std::ptr::null_mut(),
    m_traverse: None,
    m_clear: None,
    m_free: None,
}));

/// The entry point the interpreter looks up when importing `pyrunlens._native`.
///
/// # Safety
/// Called by the interpreter, with it initialized, on its import thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyInit__native() -> *mut pyo3::ffi::PyObject {
    Python::attach(|py| match module(py) {
        Ok(module) => module.into_ptr(),
        Err(e) => {
            e.restore(py);
            std::ptr::null_mut()
        }
    })
}

fn module(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    // SAFETY: the definition is static and valid; the GIL is held.
    let raw = unsafe { pyo3::ffi::PyModule_Create(MODULE_DEF.0.get()) };
    // SAFETY: a new reference, or null with the error set.
    let module = unsafe { Bound::from_owned_ptr_or_err(py, raw)? }.cast_into::<PyModule>()?;
    for (name, doc, body) in FUNCTIONS {
        let function = PyCFunction::new_closure(py, Some(name), Some(doc), body)?;
        module.add(name.to_str().unwrap_or_default(), function)?;
    }
    module.add("RunlensError", py.get_type::<RunlensError>())?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(module)
}

fn read_one(args: &Bound<'_, PyTuple>, _: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
    let py = args.py();
    let (path,): (String,) = args.extract()?;
    let read = py.detach(|| read::read(&path)).map_err(RunlensError::new_err)?;
    Ok(read.into_py(py)?.into_any().unbind())
}

/// Every file on rayon with the GIL released; a file that cannot be read
/// gives its message in its place, so the caller decides to raise or skip.
fn read_many(args: &Bound<'_, PyTuple>, _: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
    use rayon::prelude::*;
    let py = args.py();
    let (paths,): (Vec<String>,) = args.extract()?;
    let results: Vec<Result<read::Read, String>> = py.detach(|| paths.par_iter().map(|p| read::read(p)).collect());
    let out = PyList::empty(py);
    for result in results {
        match result {
            Ok(read) => out.append(read.into_py(py)?)?,
            Err(message) => out.append(message)?,
        }
    }
    Ok(out.into_any().unbind())
}

fn analyze_args(args: &Bound<'_, PyTuple>, _: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
    let py = args.py();
    let (flags,): (Vec<String>,) = args.extract()?;
    let analysis = py.detach(|| analyze::analyze(&flags)).map_err(RunlensError::new_err)?;
    let tables = PyList::empty(py);
    for (name, frame) in analysis.tables {
        tables.append((name, arrow::stream_capsule(py, frame)?))?;
    }
    Ok((tables, analysis.summary_json).into_pyobject(py)?.into_any().unbind())
}

impl read::Read {
    fn into_py(self, py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
        let samples = arrow::stream_capsule(py, self.samples)?;
        let summary = arrow::stream_capsule(py, self.summary)?;
        PyTuple::new(py, [samples, summary])
    }
}
