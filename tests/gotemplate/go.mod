module upbound-connect/tests/gotemplate

go 1.26
