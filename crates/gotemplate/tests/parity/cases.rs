//! The parity corpus: each case is rendered by Go's `text/template` (the
//! program beside this file) and by our engine; outputs must be identical,
//! and a case that fails in Go must fail in ours.

use serde::Serialize;

/// One case: templates by name, the one to execute, JSON data.
#[derive(Serialize)]
pub struct Case {
    pub name: &'static str,
    pub templates: std::collections::BTreeMap<&'static str, &'static str>,
    pub entry: &'static str,
    pub data: serde_json::Value,
    /// Decode integral JSON numbers as Go `int` instead of `float64`.
    pub ints: bool,
    /// A Go `Option` string such as `missingkey=zero`.
    pub option: &'static str,
    /// Add `.Files`, a value with methods `Get`, `Names` and `Sub`.
    pub methods: bool,
}

impl Case {
    fn ints(mut self) -> Case {
        self.ints = true;
        self
    }

    fn methods(mut self) -> Case {
        self.methods = true;
        self
    }

    fn option(mut self, option: &'static str) -> Case {
        self.option = option;
        self
    }

    /// Adds another template to the set.
    fn with(mut self, name: &'static str, text: &'static str) -> Case {
        self.templates.insert(name, text);
        self
    }

    fn entry(mut self, entry: &'static str) -> Case {
        self.entry = entry;
        self
    }
}

/// A case executing template `t` with JSON `data` (empty: nil).
fn c(name: &'static str, text: &'static str, data: &str) -> Case {
    let data = if data.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(data).unwrap_or_else(|e| panic!("case {name}: bad JSON: {e}"))
    };
    Case {
        name,
        templates: [("t", text)].into(),
        entry: "t",
        data,
        ints: false,
        option: "",
        methods: false,
    }
}

const VALUES: &str = r#"{"name":"app","replicas":3,"big":12345678,"ratio":0.25,"tiny":0.00001,
"enabled":true,"off":false,"empty":"","nothing":null,"zero":0,
"list":["a","b","c"],"nums":[3,1,2],"mixed":[1,"x",null,true,{"k":"v"}],"nolist":[],
"map":{"b":2,"a":1,"c":{"d":"deep"}},"nomap":{},
"labels":{"app.kubernetes.io/name":"web","tier":"front"},
"image":{"repository":"nginx","tag":"1.25","pullPolicy":"IfNotPresent"},
"ports":[{"name":"http","port":80},{"name":"https","port":443}],
"text":"Hello, World","quote":"say \"hi\"\n","html":"<a href='x'>&</a>"}"#;

/// The corpus.
pub fn cases() -> Vec<Case> {
    let mut cases = vec![
        // Text, actions, printing of values (Go's fmt %v).
        c("text_only", "hello\nworld", ""),
        c("empty_template", "", ""),
        c("print_string", "{{.name}}", VALUES),
        c("print_float_int_valued", "{{.replicas}}", VALUES),
        c("print_float_big", "{{.big}}", VALUES),
        c("print_float_fraction", "{{.ratio}} {{.tiny}}", VALUES),
        c(
            "print_float_million",
            "{{.m}} {{.n}} {{.o}}",
            r#"{"m":1000000,"n":100000,"o":123456.7}"#,
        ),
        c(
            "print_float_negative",
            "{{.a}} {{.b}}",
            r#"{"a":-0.5,"b":-3e25}"#,
        ),
        c("print_bool", "{{.enabled}} {{.off}}", VALUES),
        c("print_list", "{{.list}}", VALUES),
        c("print_mixed_list", "{{.mixed}}", VALUES),
        c("print_map_sorted", "{{.map}}", VALUES),
        c("print_empty_containers", "{{.nolist}} {{.nomap}}", VALUES),
        c("print_null_field", "{{.nothing}}", VALUES),
        c("print_missing_key", "{{.absent}}", VALUES),
        c("print_missing_nested", "{{.absent.child}}", VALUES),
        c("print_dot_nil", "{{.}}", ""),
        c("print_dot_map", "{{.}}", r#"{"z":1,"a":[true]}"#),
        c(
            "print_ints_data",
            "{{.a}} {{.b}} {{.c}}",
            r#"{"a":3,"b":12345678,"c":1.5}"#,
        )
        .ints(),
        c(
            "print_literals",
            "{{1}} {{1.5}} {{1e3}} {{0x1F}} {{'a'}} {{true}} {{\"s\"}} {{`raw`}}",
            "",
        ),
        c(
            "print_literal_underscore",
            "{{1_000}} {{-7}} {{+3}} {{0o17}} {{0b101}}",
            "",
        ),
        c("print_big_float_literal", "{{12345678.0}} {{0.000001}}", ""),
        c("string_escapes", r#"{{"a\tb\n\"c\"\u00e9\x41"}}"#, ""),
        c("unicode_text", "héllo {{.s}} ✓", r#"{"s":"wörld"}"#),
        // Whitespace trimming and comments.
        c("trim_both", "a  {{- .name -}}  b", VALUES),
        c(
            "trim_newlines",
            "line1\n  {{- .name }}\n{{- \"x\" }}\n",
            VALUES,
        ),
        c("trim_left_only", "a \n\t{{- 1}} b", ""),
        c("trim_right_only", "a {{1 -}} \n\n b", ""),
        c("no_trim_minus_number", "a {{-3}} b", ""),
        c("comment", "a{{/* note */}}b", ""),
        c("comment_trim", "a \n {{- /* note */ -}} \n b", ""),
        c("comment_multiline", "a{{/*\nmulti\nline\n*/}}b", ""),
        c(
            "trim_in_range",
            "{{- range .list }}\n- {{ . }}\n{{- end }}\n",
            VALUES,
        ),
        c(
            "yaml_like_block",
            "spec:\n  {{- if .enabled }}\n  enabled: true\n  {{- end }}\n  name: {{ .name }}\n",
            VALUES,
        ),
        // Fields, variables, $.
        c("nested_field", "{{.map.c.d}}", VALUES),
        c(
            "dotted_key_via_index",
            r#"{{index .labels "app.kubernetes.io/name"}}"#,
            VALUES,
        ),
        c("field_of_string_error", "{{.name.first}}", VALUES),
        c("field_of_root_string_error", "{{.x}}", r#""str""#),
        c("field_of_list_error", "{{.list.x}}", VALUES),
        c("field_of_null_error", "{{.nothing.x}}", VALUES),
        c("variable_declare", "{{$x := .name}}{{$x}}-{{$x}}", VALUES),
        c(
            "variable_assign",
            "{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}",
            "",
        ),
        c(
            "variable_scope_if",
            "{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}",
            "",
        ),
        c("variable_field", "{{$m := .map}}{{$m.c.d}}", VALUES),
        c(
            "dollar_root",
            "{{with .image}}{{$.name}}:{{.tag}}{{end}}",
            VALUES,
        ),
        c(
            "dollar_in_range",
            "{{range .list}}{{$.name}}{{.}} {{end}}",
            VALUES,
        ),
        c("variable_undefined_parse_error", "{{$nope}}", ""),
        c(
            "variable_out_of_scope",
            "{{if true}}{{$x := 1}}{{end}}{{$x}}",
            "",
        ),
        c("assign_undeclared_exec_error", "{{$y = 1}}", ""),
        c(
            "variable_declared_in_if_pipeline",
            "{{if $x := .name}}{{$x}}{{else}}{{$x}}none{{end}}",
            VALUES,
        ),
        c(
            "variable_in_with_pipeline",
            "{{with $x := .image}}{{$x.tag}}/{{.repository}}{{end}}",
            VALUES,
        ),
        c("dot_variable_chain", "{{$.map.c.d}}", VALUES),
        // Pipelines and parentheses.
        c("pipeline_printf", r#"{{.name | printf "%s-x"}}"#, VALUES),
        c(
            "pipeline_chain",
            r#"{{.name | printf "%s-%s" "p" | printf "[%s]"}}"#,
            VALUES,
        ),
        c("pipeline_custom_func", "{{.name | upper}}", VALUES),
        c(
            "parens",
            r#"{{printf "%s/%s" (.image.repository) (printf "%s" .image.tag)}}"#,
            VALUES,
        ),
        c("paren_field_chain", "{{(.map).c.d}}", VALUES),
        c("paren_index_chain", r#"{{(index .ports 1).port}}"#, VALUES),
        c("pipeline_into_non_function", "{{1 | 2}}", ""),
        c("args_to_non_function", "{{1 2}}", ""),
        c("field_with_args_error", "{{.name 1}}", VALUES),
        c("pipe_into_field_error", "{{1 | .name}}", VALUES),
        c("nil_command_error", "{{nil}}", ""),
        c("nil_argument", "{{print nil}}", ""),
        c("dot_literal_pipe", "{{. | printf \"%v\"}}", r#"[1,2]"#),
        // if / else if / else.
        c("if_true", "{{if .enabled}}yes{{end}}", VALUES),
        c("if_false_else", "{{if .off}}yes{{else}}no{{end}}", VALUES),
        c(
            "if_else_if",
            "{{if .off}}a{{else if .empty}}b{{else if .name}}c{{else}}d{{end}}",
            VALUES,
        ),
        c(
            "if_truth_table",
            "{{if .zero}}1{{end}}{{if .empty}}2{{end}}{{if .nolist}}3{{end}}{{if .nomap}}4{{end}}{{if .nothing}}5{{end}}{{if .absent}}6{{end}}{{if .list}}7{{end}}{{if .ratio}}8{{end}}",
            VALUES,
        ),
        c("if_missing_value_error", "{{if}}x{{end}}", ""),
        c("if_unclosed_error", "{{if .a}}x", ""),
        c("else_outside_error", "{{else}}", ""),
        c("end_outside_error", "x{{end}}", ""),
        c(
            "if_int_literals",
            "{{if 0}}a{{else}}b{{end}}{{if 1}}c{{end}}",
            "",
        ),
        // with / else with.
        c(
            "with_sets_dot",
            "{{with .image}}{{.repository}}:{{.tag}}{{end}}",
            VALUES,
        ),
        c("with_else", "{{with .absent}}x{{else}}none{{end}}", VALUES),
        c(
            "with_else_with",
            "{{with .absent}}a{{else with .image}}{{.tag}}{{else}}c{{end}}",
            VALUES,
        ),
        c(
            "with_empty_string",
            "{{with .empty}}x{{else}}[{{.name}}]{{end}}",
            VALUES,
        ),
        c(
            "with_nested",
            "{{with .map}}{{with .c}}{{.d}}{{end}}{{end}}",
            VALUES,
        ),
        // range.
        c("range_list", "{{range .list}}[{{.}}]{{end}}", VALUES),
        c(
            "range_index_value",
            "{{range $i, $v := .list}}{{$i}}={{$v}} {{end}}",
            VALUES,
        ),
        c(
            "range_one_var",
            "{{range $v := .list}}{{$v}}{{end}}",
            VALUES,
        ),
        c(
            "range_map_sorted",
            "{{range $k, $v := .map}}{{$k}}:{{$v}};{{end}}",
            VALUES,
        ),
        c("range_map_values", "{{range .labels}}{{.}},{{end}}", VALUES),
        c(
            "range_else_empty",
            "{{range .nolist}}x{{else}}empty{{end}}",
            VALUES,
        ),
        c(
            "range_else_missing",
            "{{range .absent}}x{{else}}none{{end}}",
            VALUES,
        ),
        c(
            "range_else_null",
            "{{range .nothing}}x{{else}}null{{end}}",
            VALUES,
        ),
        c("range_int_literal", "{{range 3}}{{.}}{{end}}", ""),
        c("range_int_var", "{{range $i := 4}}{{$i}}{{end}}", ""),
        c("range_int_zero_else", "{{range 0}}x{{else}}none{{end}}", ""),
        c(
            "range_int_two_vars_error",
            "{{range $i, $v := 3}}{{end}}",
            "",
        ),
        c("range_float_error", "{{range .replicas}}x{{end}}", VALUES),
        c("range_int_data", "{{range .n}}{{.}}{{end}}", r#"{"n":3}"#).ints(),
        c("range_string_error", "{{range .name}}x{{end}}", VALUES),
        c(
            "range_break",
            "{{range .list}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}",
            VALUES,
        ),
        c(
            "range_continue",
            "{{range .list}}{{if eq . \"b\"}}{{continue}}{{end}}{{.}}{{end}}",
            VALUES,
        ),
        c(
            "range_break_nested_if",
            "{{range $i, $v := .nums}}{{if gt $i 0}}{{if true}}{{break}}{{end}}{{end}}{{$v}}{{end}}",
            VALUES,
        ),
        c("break_outside_range_error", "{{break}}", ""),
        c(
            "continue_outside_range_error",
            "{{if true}}{{continue}}{{end}}",
            "",
        ),
        c(
            "range_nested_dollar",
            "{{range .ports}}{{$p := .}}{{range $.list}}{{$p.name}}-{{.}} {{end}}{{end}}",
            VALUES,
        ),
        c(
            "range_list_of_maps",
            "{{range .ports}}{{.name}}={{.port}} {{end}}",
            VALUES,
        ),
        c(
            "range_null_element_field_error",
            "{{range .mixed}}{{.k}}{{end}}",
            VALUES,
        ),
        c(
            "range_vars_reset",
            "{{range $i, $v := .list}}{{end}}{{$i := 9}}{{$i}}",
            VALUES,
        ),
        c(
            "range_too_many_vars_error",
            "{{range $a, $b, $c := .list}}{{end}}",
            VALUES,
        ),
        c(
            "range_map_break",
            "{{range $k, $v := .map}}{{if eq $k \"b\"}}{{break}}{{end}}{{$k}}{{end}}",
            VALUES,
        ),
        // define / template / block.
        c(
            "define_and_call",
            r#"{{define "x"}}X{{.}}X{{end}}{{template "x" .name}}"#,
            VALUES,
        ),
        c(
            "template_no_pipe_nil_dot",
            r#"{{define "x"}}[{{.}}]{{end}}{{template "x"}}"#,
            VALUES,
        ),
        c("template_undefined_error", r#"{{template "nope"}}"#, ""),
        c(
            "template_no_dynamic_scope",
            r#"{{define "x"}}{{$}}{{end}}{{$y := 1}}{{template "x" 5}}"#,
            "",
        ),
        c(
            "block_default",
            r#"{{block "b" .}}default {{.name}}{{end}}"#,
            VALUES,
        ),
        c(
            "block_overridden",
            r#"{{block "b" .}}default{{end}}"#,
            VALUES,
        )
        .with("u", r#"{{define "b"}}override {{.name}}{{end}}"#),
        c(
            "define_in_other_file",
            r#"{{template "helper" .image}}"#,
            VALUES,
        )
        .with(
            "_helpers",
            r#"{{define "helper"}}{{.repository}}@{{.tag}}{{end}}"#,
        ),
        c("define_later_wins", r#"{{template "h"}}"#, "")
            .with("a", r#"{{define "h"}}A{{end}}"#)
            .with("b", r#"{{define "h"}}B{{end}}"#),
        c("define_empty_does_not_replace", r#"{{template "h"}}"#, "")
            .with("a", r#"{{define "h"}}A{{end}}"#)
            .with("b", r#"{{define "h"}}   {{end}}"#),
        c(
            "define_duplicate_in_one_text_error",
            r#"{{define "h"}}A{{end}}{{define "h"}}B{{end}}"#,
            "",
        ),
        c("execute_defined_template", "", VALUES)
            .with("lib", r#"{{define "entry"}}entry {{.name}}{{end}}"#)
            .entry("entry"),
        c("execute_unknown_template", "x", "").entry("missing"),
        c(
            "template_recursion",
            r#"{{define "r"}}{{if .}}{{len .}}{{template "r" (slice . 1)}}{{end}}{{end}}{{template "r" .}}"#,
            r#"[1,2,3]"#,
        ),
        c(
            "template_infinite_recursion_error",
            r#"{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}"#,
            "",
        ),
        c(
            "define_uses_own_variables",
            r#"{{define "x"}}{{$v := .}}{{$v}}{{end}}{{$v := 1}}{{template "x" 2}}{{$v}}"#,
            "",
        ),
        c("define_name_not_string_error", "{{define x}}{{end}}", ""),
        c(
            "template_error_location",
            r#"{{define "x"}}
  {{.a.b}}{{end}}{{template "x" .}}"#,
            r#"{"a":null}"#,
        ),
        // and / or / not.
        c("and_returns_value", "{{and 1 \"x\" .name}}", VALUES),
        c("and_returns_falsy", "{{and 1 .empty .name}}", VALUES),
        c(
            "or_returns_first_truthy",
            "{{or .empty .zero .name .list}}",
            VALUES,
        ),
        c("or_all_false", "{{or .empty .zero}}", VALUES),
        c("and_short_circuit", "{{and .off (index .list 10)}}", VALUES),
        c(
            "or_short_circuit",
            "{{or .enabled (fail \"evaluated\")}}",
            VALUES,
        ),
        c(
            "and_no_short_circuit_error",
            "{{and .enabled (fail \"evaluated\")}}",
            VALUES,
        ),
        c("and_pipeline", "{{.name | and true}}", VALUES),
        c(
            "not_values",
            "{{not .empty}} {{not .name}} {{not .nothing}} {{not .absent}}",
            VALUES,
        ),
        c("not_arity_error", "{{not 1 2}}", ""),
        c("and_arity_error", "{{and}}", ""),
        // Comparisons.
        c(
            "eq_strings",
            "{{eq .name \"app\"}} {{eq .name \"x\"}}",
            VALUES,
        ),
        c(
            "eq_multi",
            "{{eq .name \"a\" \"b\" \"app\"}} {{eq 1 2 3}}",
            VALUES,
        ),
        c("eq_multi_stops_at_match", "{{eq 1 1 \"x\"}}", ""),
        c("eq_float_data", "{{eq .replicas 3.0}}", VALUES),
        c("eq_float_int_error", "{{eq .replicas 3}}", VALUES),
        c("eq_ints_data", "{{eq .replicas 3}}", VALUES).ints(),
        c(
            "eq_nil",
            "{{eq .nothing \"x\"}} {{eq .absent .nothing}}",
            VALUES,
        ),
        c("eq_bools", "{{eq .enabled true}} {{ne .off true}}", VALUES),
        c("eq_list_error", "{{eq .list .list}}", VALUES),
        c("eq_missing_arg_error", "{{eq 1}}", ""),
        c("ne_values", "{{ne 1 2}} {{ne \"a\" \"a\"}}", ""),
        c("ne_type_error", "{{ne 1 \"a\"}}", ""),
        c(
            "lt_family_ints",
            "{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 2 3}}",
            "",
        ),
        c(
            "lt_family_floats",
            "{{lt .ratio 0.5}} {{gt .big 1.0}} {{le .zero 0.0}} {{ge .replicas 3.5}}",
            VALUES,
        ),
        c("lt_strings", "{{lt \"a\" \"b\"}} {{gt \"b\" \"ab\"}}", ""),
        c("lt_mixed_error", "{{lt .replicas 5}}", VALUES),
        c("lt_bool_error", "{{lt true false}}", ""),
        c("lt_nil_error", "{{lt .absent 1}}", VALUES),
        c("lt_arity_error", "{{lt 1}}", ""),
        c("gt_len", "{{if gt (len .list) 2}}many{{end}}", VALUES),
        // len / index / slice.
        c(
            "len_values",
            "{{len .list}} {{len .map}} {{len .name}} {{len \"héllo\"}} {{len .nolist}}",
            VALUES,
        ),
        c("len_number_error", "{{len .replicas}}", VALUES),
        c("len_nil_error", "{{len .nothing}}", VALUES),
        c("index_list", "{{index .list 1}}", VALUES),
        c(
            "index_nested",
            "{{index .ports 0 \"name\"}} {{index .map \"c\" \"d\"}}",
            VALUES,
        ),
        c("index_missing_key", "{{index .map \"zz\"}}", VALUES),
        c("index_out_of_range_error", "{{index .list 5}}", VALUES),
        c("index_float_error", "{{index .list 1.0}}", VALUES),
        c("index_nil_error", "{{index .absent 1}}", VALUES),
        c("index_string_byte", "{{index \"abc\" 1}}", ""),
        c("index_wrong_key_type_error", "{{index .map 1}}", VALUES),
        c("index_no_indexes", "{{index .list}}", VALUES),
        c("index_scalar_error", "{{index .name 0 0}}", VALUES),
        c(
            "slice_list",
            "{{slice .list 1}} {{slice .list 0 2}} {{slice .list}}",
            VALUES,
        ),
        c("slice_string", "{{slice .name 1 3}}", VALUES),
        c("slice_inverted_error", "{{slice .list 2 1}}", VALUES),
        c("slice_string_three_error", "{{slice .name 0 1 2}}", VALUES),
        c("slice_number_error", "{{slice .replicas 1}}", VALUES),
        // print / printf / println.
        c(
            "print_spacing",
            "{{print 1 2 \"a\" \"b\" 3 .nothing}}",
            VALUES,
        ),
        c("print_map_list", "{{print .map .list}}", VALUES),
        c("println_values", "{{println 1 \"a\" .ratio}}", VALUES),
        c(
            "printf_v_values",
            "{{printf \"%v|%v|%v|%v\" .map .mixed .big .nothing}}",
            VALUES,
        ),
        c("printf_s_d", "{{printf \"%s is %d\" .name 42}}", VALUES),
        c(
            "printf_plus_v_is_not_a_sign",
            "{{printf \"%+v|%+d|%+v|%+v|%+v\" 5 5 -1.5 .map .list}}",
            VALUES,
        ),
        c(
            "printf_d_float_complaint",
            "{{printf \"%d\" .replicas}}",
            VALUES,
        ),
        c("printf_s_int_complaint", "{{printf \"%s\" 5}}", ""),
        c(
            "printf_q",
            "{{printf \"%q\" .quote}} {{printf \"%q\" .list}}",
            VALUES,
        ),
        c("printf_t", "{{printf \"%t %t\" .enabled 1}}", VALUES),
        c(
            "printf_floats",
            "{{printf \"%f %.2f %e %g %.3g %E\" .ratio .ratio .big .big .ratio .tiny}}",
            VALUES,
        ),
        c(
            "printf_width",
            "[{{printf \"%5s|%-5s|%05d|%-3d|%x|%X|%o|%b\" \"ab\" \"cd\" 42 7 255 255 8 5}}]",
            "",
        ),
        c(
            "printf_precision_string",
            "{{printf \"%.3s|%.0f|%8.3f|%+d|% d\" \"abcdef\" 2.5 3.14159 5 7}}",
            "",
        ),
        c(
            "printf_hex_string",
            "{{printf \"%x %X\" \"hi\" \"hi\"}}",
            "",
        ),
        c(
            "printf_char_unicode",
            "{{printf \"%c %U %q\" 65 9731 'x'}}",
            "",
        ),
        c(
            "printf_missing_extra",
            "{{printf \"%s %s\" \"a\"}}|{{printf \"%s\" \"a\" 1 true}}",
            "",
        ),
        c("printf_percent", "{{printf \"100%%\"}}", ""),
        c("printf_star_width", "{{printf \"%*d|%-*d|\" 5 42 4 1}}", ""),
        c(
            "printf_list_d",
            "{{printf \"%d\" .nums}} {{printf \"%d\" .n}}",
            r#"{"nums":[1,2],"n":[1,2]}"#,
        )
        .ints(),
        c(
            "printf_nil_verbs",
            "{{printf \"%s|%d|%v\" .absent .absent .absent}}",
            VALUES,
        ),
        c("printf_bool_d_complaint", "{{printf \"%d\" true}}", ""),
        c("printf_map_s", "{{printf \"%s\" .image}}", VALUES),
        c(
            "printf_float_v_precision",
            "{{printf \"%.2v %6.2f|%-8.3e|\" 3.14159 2.0 1234.5}}",
            "",
        ),
        c(
            "printf_zero_pad_negative",
            "{{printf \"%06d|%06.2f|%+.1f\" -42 -3.14159 2.25}}",
            "",
        ),
        c("printf_no_verb", "{{printf \"%\"}}", ""),
        c("printf_not_string_error", "{{printf 1}}", ""),
        c("printf_sharp", "{{printf \"%#x %#o\" 255 8}}", ""),
        c(
            "printf_inf_nan",
            "{{printf \"%v %f\" .x .x}}",
            r#"{"x":1e308}"#,
        ),
        // html / js / urlquery.
        c("html_escape", "{{html .html}}", VALUES),
        c("html_multi", "{{html 1 \"<\" 2}}", ""),
        c("js_escape", "{{js .quote}} {{js \"<b>=&'\"}}", VALUES),
        c(
            "urlquery_escape",
            "{{urlquery .text \"a/b?c=d&e\"}}",
            VALUES,
        ),
        c("urlquery_pipeline", "{{.text | urlquery}}", VALUES),
        // call.
        c("call_non_function_error", "{{call .name}}", VALUES),
        c("call_nil_error", "{{call .absent}}", VALUES),
        // Custom functions.
        c("custom_func_error", "a{{fail \"boom\"}}b", ""),
        c("custom_func_wrong_type", "{{upper 1}}", ""),
        c("custom_func_arity_error", "{{upper \"a\" \"b\"}}", ""),
        c("custom_variadic", "{{list 1 \"a\" .ratio}}", VALUES),
        c(
            "custom_in_if",
            "{{if eq (upper .name) \"APP\"}}yes{{end}}",
            VALUES,
        ),
        c("undefined_function_parse_error", "{{nope 1}}", ""),
        // missingkey options.
        c("missingkey_default_nested", "[{{.a.b.c}}]", "{}"),
        c("missingkey_zero_print", "[{{.a}}]", "{}").option("missingkey=zero"),
        c("missingkey_zero_nested_error", "{{.a.b}}", "{}").option("missingkey=zero"),
        c("missingkey_error", "{{.a}}", "{}").option("missingkey=error"),
        c("missingkey_error_present", "{{.a}}", r#"{"a":null}"#).option("missingkey=error"),
        c("missingkey_error_nil_data", "{{.a}}", "").option("missingkey=error"),
        c("missingkey_zero_index", "[{{index . \"a\"}}]", "{}").option("missingkey=zero"),
        c("missingkey_zero_if", "{{if .a}}y{{else}}n{{end}}", "{}").option("missingkey=zero"),
        c(
            "missingkey_zero_with_default",
            "{{.a | printf \"%v\"}}",
            "{}",
        )
        .option("missingkey=zero"),
        c(
            "missingkey_default_variable_field",
            "{{$x := .nothing}}[{{$x.y}}]",
            VALUES,
        ),
        c(
            "missingkey_default_paren_field",
            "[{{(.nothing).y}}]",
            VALUES,
        ),
        // Parse errors.
        c("unclosed_action_error", "{{.a", ""),
        c("unterminated_string_error", "{{\"abc}}", ""),
        c("bad_character_error", "{{.a ^ .b}}", ""),
        c("empty_action_error", "{{}}", ""),
        c("non_executable_stage_error", "{{.a | \"x\"}}", ""),
        c("unexpected_right_paren_error", "{{.a)}}", ""),
        c("unclosed_paren_error", "{{(.a}}", ""),
        c(
            "else_after_else_error",
            "{{if 1}}a{{else}}b{{else}}c{{end}}",
            "",
        ),
        c("comment_unclosed_error", "{{/* x }}", ""),
        c("comment_bad_close_error", "{{/* x */ .a}}", ""),
        c("dot_after_literal_error", "{{\"x\".y}}", ""),
        c("bad_number_error", "{{3x}}", ""),
        c("template_name_missing_error", "{{template}}", ""),
        c("keyword_as_arg_error", "{{print if}}", ""),
        c("parse_error_line", "line1\nline2\n{{if}}", ""),
        c("exec_error_line_col", "line1\n  ab {{.x.y}}", r#"{"x":1}"#),
        // Realistic chart-style templates.
        c(
            "chart_labels",
            r#"{{- define "labels" -}}
app: {{ .name }}
{{- range $k, $v := .labels }}
{{ $k }}: {{ $v | printf "%q" }}
{{- end }}
{{- end -}}
metadata:
  labels:
    {{- template "labels" . }}
"#,
            VALUES,
        ),
        c(
            "chart_ports",
            r#"ports:
{{- range .ports }}
  - name: {{ .name }}
    containerPort: {{ .port }}
{{- end }}
image: "{{ .image.repository }}:{{ .image.tag }}"
replicas: {{ .replicas }}
{{- with .absent }}
never: {{ . }}
{{- end }}
{{- if and .enabled (gt (len .ports) 1) }}
multi: true
{{- end }}"#,
            VALUES,
        ),
        c(
            "chart_else_chain",
            r#"{{- if eq .image.pullPolicy "Always" }}always
{{- else if eq .image.pullPolicy "IfNotPresent" }}ifnotpresent
{{- else }}never{{ end }}"#,
            VALUES,
        ),
        c(
            "chart_nested_range_scoping",
            r#"{{- range $i, $p := .ports }}
{{- range $j, $l := $.list }}{{ if $j }},{{ end }}{{ $p.name }}{{ $i }}{{ $l }}{{ end }};
{{- end }}"#,
            VALUES,
        ),
    ];
    cases.push(c("printf_wide_map", "{{printf \"%v\" .}}", VALUES));
    cases.extend([
        // More edges, found while widening the corpus.
        c("range_assign_vars", "{{$i := 0}}{{$v := 0}}{{range $i, $v = .list}}{{end}}{{$i}}{{$v}}", VALUES),
        c("with_else_with_vars", "{{with $a := .absent}}{{$a}}{{else with $b := .name}}{{$b}}{{end}}", VALUES),
        c("else_if_scoping", "{{if $x := .empty}}a{{else if $y := .name}}{{$x}}|{{$y}}{{end}}", VALUES),
        c("template_in_range_dot", r#"{{define "p"}}<{{.name}}>{{end}}{{range .ports}}{{template "p" .}}{{end}}"#, VALUES),
        c("paren_decl", "{{($x := 1)}}{{$x}}", ""),
        c("field_on_function_result_error", "{{(list 1 2).foo}}", ""),
        c("function_as_argument", "{{print (upper \"a\") upper}}", ""),
        c("len_arity_error", "{{len}}", ""),
        c("raw_string_newline", "{{`a\nb\\n`}}", ""),
        c("string_with_delims", r#"{{"{{x}}"}}"#, ""),
        c("unicode_escape", r#"{{"\u263a"}} {{'\n'}} {{'\x41'}}"#, ""),
        c("float_thresholds", "{{.a}} {{.b}} {{.c}} {{.d}} {{.e}} {{.f}}", r#"{"a":1e21,"b":1e20,"c":123456,"d":1234567,"e":0.1,"f":1.0000001}"#),
        c("float_literal_integral", "{{3.0}} {{-0.0}} {{2.50}}", ""),
        c("int_overflow_literal", "{{99999999999999999999}}", ""),
        c("hex_float_literal", "{{0x1p4}}", ""),
        c("dash_in_field_error", "{{.my-key}}", r#"{"my-key":1}"#),
        c("minus_dot_error", "{{-.x}}", ""),
        c("trim_tabs", "a\t{{-\t.name\t-}}\tb", VALUES),
        c("or_with_pipeline_default", "{{.empty | or \"default\"}} {{.name | or \"default\"}}", VALUES),
        c("not_arity_zero_error", "{{not}}", ""),
        c("index_map_only", "{{index .map}}", VALUES),
        c("eq_nil_literals", "{{eq nil nil}}", ""),
        c("range_map_one_var", "{{range $v := .map}}{{$v}};{{end}}", VALUES),
        c("range_numeric_string_keys", "{{range $k, $v := .}}{{$k}}{{end}}", r#"{"10":1,"9":2,"1":3,"b":4,"B":5}"#),
        c("nested_range_break_inner", "{{range .nums}}{{range $.list}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}|{{end}}", VALUES),
        c("continue_in_with", "{{range .ports}}{{with .name}}{{if eq . \"http\"}}{{continue}}{{end}}{{.}}{{end}}{{end}}", VALUES),
        c("printf_len_padding", "{{printf \"%03d\" (len .list)}}", VALUES),
        c("printf_s_list", "{{printf \"%s\" .list}} {{printf \"%q\" .map}}", VALUES),
        c("printf_percent_width", "{{printf \"%5.1f%%\" .ratio}}", VALUES),
        c("printf_width_list", "{{printf \"%-4v|\" .list}}", VALUES),
        c("printf_T", "{{printf \"%T %T %T %T %T %T\" .name .ratio 1 .list .map .enabled}}", VALUES),
        c("printf_hex_float", "{{printf \"%x\" .ratio}}", VALUES),
        c("printf_empty_list", "{{printf \"%v\" (list)}} {{list}}", ""),
        c("html_nil", "{{html .absent}} {{urlquery .absent}} {{js .nothing}}", VALUES),
        c("js_unicode_separators", "{{js .s}}", r#"{"s":"a\u2028b\u2029c\u0007é"}"#),
        c("eq_nil_and_missing", "{{eq .nothing .absent}} {{eq .absent .absent}}", VALUES),
        c("lt_unicode_strings", "{{lt \"é\" \"z\"}} {{lt \"Z\" \"a\"}}", ""),
        c("variable_shadow_in_range", "{{$v := \"outer\"}}{{range $v := .list}}{{$v}}{{end}}{{$v}}", VALUES),
        c("dollar_reassign", "{{$ = 5}}{{$}}", ""),
        c("define_only_entry_is_empty", "{{define \"x\"}}X{{end}}", ""),
        c("define_empty_name", r#"{{define ""}}E{{end}}{{template ""}}"#, ""),
        c("chain_on_variable_call_error", "{{$x := 1}}{{$x 2}}", ""),
        c("field_of_int_literal_error", "{{1.x}}", ""),
        c("pipe_decl_value", "{{$x := .name | upper}}{{$x}}", VALUES),
        c("multiple_pipes_in_if", "{{if .name | eq \"app\"}}y{{end}}", VALUES),
        c("whitespace_actions", "{{  .name  }}|{{\n.name\n}}", VALUES),
        c("comment_no_space_trim_error", "{{-/* x */}}", ""),
        c("comment_inside_action_error", "{{ .name /* x */ }}", VALUES),
        c("block_inside_range", r#"{{range .list}}{{block "b" .}}[{{.}}]{{end}}{{end}}"#, VALUES),
        c("index_negative_error", "{{index .list -1}}", VALUES),
        c("slice_out_of_range_error", "{{slice .name 2 10}}", VALUES),
        c("print_func_value", "{{print .image}}", VALUES),
        // Helm-style usage and more error locations.
        c("index_null_then_field", "[{{(index . \"a\").b}}]", r#"{"a":null}"#),
        c("index_null_then_field_error_option", "{{(index . \"a\").b}}", r#"{"a":null}"#).option("missingkey=error"),
        c("printf_piped_last", r#"{{"a" | printf "%s %s" "b"}}"#, ""),
        c("nested_parens", "{{(((1)))}} {{len (print (print \"ab\"))}}", ""),
        c("len_piped", "{{.list | len}}", VALUES),
        c("if_not_eq", "{{if not (eq .name \"x\")}}differs{{end}}", VALUES),
        c("le_floats_literal", "{{le 1.5 2.0}} {{ge 2.0 2.0}}", ""),
        c("eq_bool_string_error", "{{eq .enabled \"true\"}}", VALUES),
        c("printf_ints_data", "{{printf \"%d|%5d|%v\" .replicas .replicas .replicas}}", r#"{"replicas":3}"#).ints(),
        c("printf_s_bool", "{{printf \"%s\" .enabled}}", VALUES),
        c("printf_nil_literal", "{{printf \"%v|%s\" nil nil}}", ""),
        c("crlf_trim", "a\r\n{{- .name -}}\r\n b", VALUES),
        c("unicode_key", "{{.ключ}}", r#"{"ключ":"значение"}"#),
        c("tab_separated_args", "{{printf\t\"%s-%s\"\t\"a\"\t\"b\"}}", ""),
        c("multiline_action", "{{printf \"%s\"\n  .name}}", VALUES),
        c("unclosed_if_multiline_error", "{{if .a}}\nx\ny\n", ""),
        c("bad_in_third_line_error", "a\nb\n{{ .x | }}", ""),
        c("exec_error_in_define_other_file", r#"{{template "h" .}}"#, r#"{"a":1}"#).with("helpers", "\n\n{{define \"h\"}}\n  {{.a.b}}{{end}}"),
        c("exec_error_in_nested_template_call", r#"{{define "outer"}}{{template "inner" .}}{{end}}{{define "inner"}}{{index .list 9}}{{end}}{{template "outer" .}}"#, VALUES),
        c("missingkey_zero_chart_values", "name: {{.Values.name}}\ntag: {{.Values.image.tag}}\n", r#"{"Values":{"image":{}}}"#).option("missingkey=zero"),
        c("missingkey_zero_absent_nested_error", "{{.Values.absent.deeper}}", r#"{"Values":{}}"#).option("missingkey=zero"),
        c("missingkey_zero_range_absent", "{{range .Values.absent}}x{{else}}none{{end}}", r#"{"Values":{}}"#).option("missingkey=zero"),
        c("missingkey_zero_with_absent", "{{with .Values.absent}}x{{else}}none{{end}}", r#"{"Values":{}}"#).option("missingkey=zero"),
        c("missingkey_zero_eq_absent", "{{eq .Values.absent \"x\"}}", r#"{"Values":{}}"#).option("missingkey=zero"),
        c("missingkey_zero_default_pattern", "{{or .Values.absent \"fallback\"}}", r#"{"Values":{}}"#).option("missingkey=zero"),
        c("range_element_nil_print", "{{range .mixed}}[{{.}}]{{end}}", VALUES),
        c("range_element_nil_with", "{{range .mixed}}{{with .}}+{{else}}-{{end}}{{end}}", VALUES),
        c("range_map_nil_value_field_error", "{{range .}}{{.x}}{{end}}", r#"{"a":null}"#),
        c("chain_on_variable_nil", "{{$a := .nothing}}[{{$a.b.c}}]", VALUES),
        c("field_after_method_result_map", "{{(index .ports 0).name}}", VALUES),
        c("break_in_inner_range_else", "{{range .list}}{{range $.nolist}}{{else}}{{break}}x{{end}}{{.}}{{end}}", VALUES),
        c("continue_in_inner_range_else", "{{range .list}}{{range $.nolist}}{{else}}{{continue}}x{{end}}{{.}}{{end}}", VALUES),
        c("break_in_block_inside_range_error", r#"{{range .list}}{{block "b" .}}{{break}}{{end}}{{end}}"#, VALUES),
        c("break_in_range_else_top_error", "{{range .nolist}}{{else}}{{break}}{{end}}", VALUES),
        c("unclosed_action_multiline_error", "x\n{{ .a \n\n", ""),
        c("unterminated_string_multiline_error", "{{ .a\n \"abc\n\" }}", ""),
        c("unclosed_comment_multiline_error", "{{/* a\n\n b", ""),
        // Methods (Go struct methods; ours: function values in maps).
        c("method_with_arg", r#"{{.Files.Get "a"}}"#, "{}").methods(),
        c("method_piped_arg", r#"{{"b" | .Files.Get}}"#, "{}").methods(),
        c("method_niladic", "{{.Files.Names}} {{index .Files.Names 1}}", "{}").methods(),
        c("method_in_chain", r#"{{.Files.Sub.Get "x"}}"#, "{}").methods(),
        c("method_range", "{{range .Files.Names}}{{.}},{{end}}", "{}").methods(),
        c("method_in_parens", r#"{{(.Files.Get "x") | printf "%q"}}"#, "{}").methods(),
        c("method_missing_arg_error", "{{.Files.Get}}", "{}").methods(),
        c("method_wrong_type_error", "{{.Files.Get 1}}", "{}").methods(),
        c("method_on_with_dot", r#"{{with .Files}}{{.Get "y"}}{{end}}"#, "{}").methods(),
        c("method_on_variable", r#"{{$f := .Files}}{{$f.Get "z"}}"#, "{}").methods(),
        c("ints_flag_float_kept", "{{.a}} {{.b}}", r#"{"a":2,"b":2.5}"#).ints(),
        c("ints_compare", "{{lt .a 3}} {{eq .a 2}} {{range .a}}{{.}}{{end}}", r#"{"a":2}"#).ints(),
    ]);

    cases
}
