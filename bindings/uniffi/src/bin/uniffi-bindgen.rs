//! The uniffi bindings generator, built from the same uniffi version as the
//! library so the metadata formats match (`generate.sh` runs it).

fn main() {
    uniffi::uniffi_bindgen_main()
}
