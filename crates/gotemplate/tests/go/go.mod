module upbound-connect/crates/gotemplate/tests/go

go 1.26
