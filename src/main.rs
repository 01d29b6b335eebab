fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let (spec, diags) = kaohe::parse::parse(&text);
    let src = kaohe::source::Source::new("x", text.clone());
    for d in &diags { eprint!("{}", kaohe::diagnostic::render::to_text(d, Some(&src), false)); }
    println!("{:#?}", spec.map(|s| s.sections.len()));
}
