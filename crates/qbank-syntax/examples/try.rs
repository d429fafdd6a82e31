// scratch (to be deleted)
use std::io::Read;
fn main() {
    let name = std::env::args().nth(1).unwrap();
    let mut code = String::new();
    std::io::stdin().read_to_string(&mut code).unwrap();
    let lang = qbank_syntax::resolve_language(&name).expect("lang");
    let t = std::time::Instant::now();
    let out = qbank_syntax::check(lang, &code);
    println!("{} {:?} ({:?})", lang.id, out, t.elapsed());
}
