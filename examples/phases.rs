use std::time::Instant;
use meshctl::check::validate::schema::Walker;
use meshctl::model::kinds;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut texts = vec![];
    for e in std::fs::read_dir(&dir).unwrap() { texts.push(std::fs::read_to_string(e.unwrap().path()).unwrap()); }
    let mut docs = vec![];
    let t = Instant::now();
    for text in &texts { meshctl::load::yaml::parse_stream(text, 0, |d| docs.push(d.root.unwrap())); }
    println!("tree {:?}", t.elapsed());
    let t = Instant::now();
    let mut cleaned = vec![];
    for (i, d) in docs.iter().enumerate() {
        let api = d.get("apiVersion").unwrap().as_str().unwrap();
        let kind = d.get("kind").unwrap().as_str().unwrap();
        let (g, _) = kinds::split_api_version(api);
        let info = kinds::lookup(g, kind).unwrap();
        let mut w = Walker::new(&texts[0], info.decoding);
        let mut p = String::new();
        cleaned.push((info, w.walk(d, (info.schema.unwrap())(), &mut p, false).unwrap()));
        let _ = i;
    }
    println!("walk {:?}", t.elapsed());
    let mut per: std::collections::BTreeMap<&str, std::time::Duration> = Default::default();
    for (info, v) in &cleaned { let t = Instant::now(); std::hint::black_box(meshctl::check::validate::semantic(info, meshctl::check::validate::Obj::Json(v), "default")); *per.entry(info.kind).or_default() += t.elapsed(); }
    println!("semantic {:?}", per);
    let mut per: std::collections::BTreeMap<&str, std::time::Duration> = Default::default();
    for (d, (info, _)) in docs.iter().zip(&cleaned) { let t = Instant::now(); let mut w = Walker::checking(&texts[0], info.decoding); let mut p = String::new(); w.walk(d, (info.schema.unwrap())(), &mut p, false); std::hint::black_box(meshctl::check::validate::semantic(info, meshctl::check::validate::Obj::Node(d), "default")); *per.entry(info.kind).or_default() += t.elapsed(); }
    println!("fast path check+semantic {:?}", per);
    let t = Instant::now();
    for (info, v) in &cleaned { if info.kind == "VirtualService" { let vs: meshctl::model::networking::VirtualService = serde::Deserialize::deserialize(v.get("spec").unwrap()).unwrap(); std::hint::black_box(vs); } }
    println!("vs deser only {:?}", t.elapsed());
}
