//! A component's `k8s` settings (IstioOperator `KubernetesResources`) applied to its rendered
//! objects, as istioctl 1.28 post-processes its charts' output: each field is a patch of the
//! component's Deployment, Service, HorizontalPodAutoscaler (named as the component) or of its
//! main container, merged the way Kubernetes' strategic merge does for those fields (mappings key
//! by key, containers and environment variables by name, other lists replaced); `overlays` then
//! set values at paths of any of the component's objects.

use serde_json::{Map, Value as Json};

/// What an overlay naming an object the component does not render is reported as.
pub const NO_OBJECT: &str = "meshctl renders no";

/// Applies `k8s` to the objects of the component whose workload is `name` with the main
/// container `container`; returns the overlay patches that could not be applied. A gateway's
/// `service.ports` were already rendered (they also decide its container ports).
pub fn apply(
    objects: &mut [Json],
    name: &str,
    container: &str,
    k8s: &Map<String, Json>,
    gateway: bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    if k8s.is_empty() {
        return problems;
    }
    for o in objects.iter_mut() {
        if o["metadata"]["name"] != name {
            continue;
        }
        let kind = o["kind"].as_str().unwrap_or("").to_string();
        for (field, v) in k8s {
            if v.is_null() {
                continue;
            }
            match (kind.as_str(), field.as_str()) {
                ("Deployment", "replicaCount") => set(o, &["spec", "replicas"], v),
                ("Deployment", "strategy") => merge_at(o, &["spec", "strategy"], v),
                (
                    "Deployment",
                    "affinity" | "nodeSelector" | "tolerations" | "priorityClassName"
                    | "securityContext",
                ) => merge_at(o, &["spec", "template", "spec", field], v),
                ("Deployment", "podAnnotations") => {
                    merge_at(o, &["spec", "template", "metadata", "annotations"], v)
                }
                ("Deployment", "env" | "imagePullPolicy" | "readinessProbe" | "resources") => {
                    if let Some(c) = o
                        .pointer_mut("/spec/template/spec/containers")
                        .and_then(Json::as_array_mut)
                        .and_then(|cs| cs.iter_mut().find(|c| c["name"] == container))
                    {
                        let mut target = c.get(field.as_str()).cloned().unwrap_or(Json::Null);
                        strategic(&mut target, v);
                        c[field.as_str()] = target;
                    }
                }
                ("HorizontalPodAutoscaler", "hpaSpec") => merge_at(o, &["spec"], v),
                ("Service", "serviceAnnotations") => merge_at(o, &["metadata", "annotations"], v),
                ("Service", "service") => {
                    let mut v = v.clone();
                    if gateway && let Some(m) = v.as_object_mut() {
                        m.remove("ports");
                    }
                    merge_at(o, &["spec"], &v);
                }
                _ => {}
            }
        }
    }
    if let Some(Json::Array(overlays)) = k8s.get("overlays") {
        for ov in overlays {
            let kind = ov["kind"].as_str().unwrap_or("");
            let oname = ov["name"].as_str().unwrap_or("");
            let Some(target) = objects
                .iter_mut()
                .find(|o| o["kind"] == kind && o["metadata"]["name"] == oname)
            else {
                problems.push(format!("overlays: {NO_OBJECT} {kind} {oname}"));
                continue;
            };
            for p in ov["patches"].as_array().into_iter().flatten() {
                let path = p["path"].as_str().unwrap_or("");
                if let Err(e) = patch(target, path, p.get("value").unwrap_or(&Json::Null)) {
                    problems.push(format!("overlay of {kind} {oname}: path {path:?}: {e}"));
                }
            }
        }
    }
    problems
}

fn set(o: &mut Json, path: &[&str], v: &Json) {
    let mut cur = o;
    for p in path {
        if !cur.is_object() {
            *cur = Json::Object(Map::new());
        }
        cur = &mut cur[*p];
    }
    *cur = v.clone();
}

fn merge_at(o: &mut Json, path: &[&str], v: &Json) {
    let mut cur = o;
    for p in path {
        if !cur.is_object() {
            *cur = Json::Object(Map::new());
        }
        cur = &mut cur[*p];
    }
    strategic(cur, v);
}

/// A strategic merge, for the fields `k8s` patches: mappings key by key; lists of mappings that
/// all have a `name` merged by name (containers, env, ports); other lists and scalars replaced.
pub fn strategic(base: &mut Json, over: &Json) {
    match (base, over) {
        (Json::Object(b), Json::Object(o)) => {
            for (k, v) in o {
                if v.is_null() {
                    b.remove(k);
                    continue;
                }
                match b.get_mut(k) {
                    Some(existing) => strategic(existing, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Json::Array(b), Json::Array(o))
            if !b.is_empty() && b.iter().chain(o.iter()).all(|i| i.get("name").is_some()) =>
        {
            for item in o {
                match b.iter_mut().find(|i| i["name"] == item["name"]) {
                    Some(existing) => strategic(existing, item),
                    None => b.push(item.clone()),
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// One step of an overlay path (istioctl's: `a.b`, `list[2]`, `list.[name:foo]`).
enum Step<'a> {
    Key(&'a str),
    Index(usize),
    Select(&'a str, &'a str),
}

fn steps(path: &str) -> Result<Vec<Step<'_>>, String> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push(Step::Key(name));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or("unclosed [")?;
            let inner = &r[..end];
            match (inner.split_once(':'), inner.parse::<usize>()) {
                (Some((k, v)), _) => out.push(Step::Select(k, v)),
                (None, Ok(i)) => out.push(Step::Index(i)),
                // `[30m]`: the element of a list of scalars with that value.
                (None, Err(_)) if !inner.is_empty() => out.push(Step::Select("", inner)),
                (None, Err(_)) => return Err("[]: expected an index, key:value or value".into()),
            }
            rest = &r[end + 1..];
        }
        if name.is_empty() && part.is_empty() {
            return Err("empty path element".into());
        }
    }
    if out.is_empty() {
        return Err("empty path".into());
    }
    Ok(out)
}

/// Sets `value` at `path` of `o` (a null value removes the element), as istioctl's overlays.
fn patch(o: &mut Json, path: &str, value: &Json) -> Result<(), String> {
    let steps = steps(path)?;
    let (last, parents) = steps.split_last().ok_or("empty path")?;
    let mut cur = o;
    for s in parents {
        cur = match s {
            Step::Key(k) => {
                let Json::Object(m) = cur else {
                    return Err(format!("{k}: not a mapping"));
                };
                m.entry(k.to_string())
                    .or_insert_with(|| Json::Object(Map::new()))
            }
            Step::Index(i) => cur
                .as_array_mut()
                .and_then(|a| a.get_mut(*i))
                .ok_or_else(|| format!("[{i}]: no such list element"))?,
            Step::Select(k, v) => cur
                .as_array_mut()
                .and_then(|a| a.iter_mut().find(|e| element(e, k, v)))
                .ok_or_else(|| format!("[{k}:{v}]: no such list element"))?,
        };
    }
    match last {
        Step::Key(k) => {
            let Json::Object(m) = cur else {
                return Err(format!("{k}: not a mapping"));
            };
            if value.is_null() {
                m.remove(*k);
            } else {
                m.insert(k.to_string(), value.clone());
            }
        }
        Step::Index(i) => {
            let a = cur.as_array_mut().ok_or("not a list")?;
            if *i >= a.len() {
                return Err(format!("[{i}]: no such list element"));
            }
            if value.is_null() {
                a.remove(*i);
            } else {
                a[*i] = value.clone();
            }
        }
        Step::Select(k, v) => {
            let a = cur.as_array_mut().ok_or("not a list")?;
            let i = a
                .iter()
                .position(|e| element(e, k, v))
                .ok_or_else(|| format!("[{k}:{v}]: no such list element"))?;
            if value.is_null() {
                a.remove(i);
            } else {
                a[i] = value.clone();
            }
        }
    }
    Ok(())
}

/// The element `[key:value]` selects (`[value]`: `key` empty, a list of scalars).
fn element(e: &Json, key: &str, want: &str) -> bool {
    if key.is_empty() {
        matches_value(e, want)
    } else {
        matches_value(&e[key], want)
    }
}

fn matches_value(v: &Json, want: &str) -> bool {
    match v {
        Json::String(s) => s == want,
        Json::Number(n) => n.to_string() == want,
        Json::Bool(b) => b.to_string() == want,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn objects() -> Vec<Json> {
        vec![
            json!({"kind": "Deployment", "metadata": {"name": "gw"}, "spec": {"template": {
                "metadata": {"annotations": {"a": "1"}},
                "spec": {"containers": [{"name": "istio-proxy", "args": ["x", "y"],
                    "env": [{"name": "A", "value": "1"}],
                    "resources": {"requests": {"cpu": "10m"}}}]}}}}),
            json!({"kind": "Service", "metadata": {"name": "gw"},
                   "spec": {"type": "LoadBalancer", "ports": [{"name": "p", "port": 1}]}}),
            json!({"kind": "HorizontalPodAutoscaler", "metadata": {"name": "gw"},
                   "spec": {"minReplicas": 1, "maxReplicas": 5}}),
            json!({"kind": "Service", "metadata": {"name": "other"}, "spec": {}}),
        ]
    }

    #[test]
    fn k8s_fields_patch_the_component_objects() {
        let mut o = objects();
        let k8s = json!({
            "replicaCount": 3,
            "env": [{"name": "A", "value": "2"}, {"name": "B", "value": "3"}],
            "resources": {"requests": {"memory": "1Gi"}},
            "podAnnotations": {"b": "2"},
            "nodeSelector": {"disk": "ssd"},
            "tolerations": [{"key": "k", "operator": "Exists"}],
            "hpaSpec": {"maxReplicas": 9},
            "service": {"type": "NodePort", "ports": [{"name": "q", "port": 2}]},
            "serviceAnnotations": {"s": "t"},
            "overlays": [{"kind": "Deployment", "name": "gw", "patches": [
                {"path": "spec.template.spec.containers.[name:istio-proxy].args[1]", "value": "z"},
                {"path": "spec.template.metadata.annotations.a", "value": null}]}],
        });
        let Json::Object(k8s) = k8s else { return };
        let problems = apply(&mut o, "gw", "istio-proxy", &k8s, true);
        assert!(problems.is_empty(), "{problems:?}");
        let d = &o[0];
        assert_eq!(d["spec"]["replicas"], 3);
        let c = &d["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(
            c["env"],
            json!([{"name": "A", "value": "2"}, {"name": "B", "value": "3"}])
        );
        assert_eq!(
            c["resources"],
            json!({"requests": {"cpu": "10m", "memory": "1Gi"}})
        );
        assert_eq!(c["args"], json!(["x", "z"]));
        assert_eq!(
            d["spec"]["template"]["metadata"]["annotations"],
            json!({"b": "2"})
        );
        assert_eq!(d["spec"]["template"]["spec"]["nodeSelector"]["disk"], "ssd");
        assert_eq!(o[1]["spec"]["type"], "NodePort");
        // A gateway's ports were rendered from the settings already.
        assert_eq!(o[1]["spec"]["ports"], json!([{"name": "p", "port": 1}]));
        assert_eq!(o[1]["metadata"]["annotations"]["s"], "t");
        assert_eq!(o[2]["spec"], json!({"minReplicas": 1, "maxReplicas": 9}));
        assert_eq!(o[3]["spec"], json!({}));
    }

    #[test]
    fn overlays_that_miss_are_reported() {
        let mut o = objects();
        let k8s = json!({"overlays": [
            {"kind": "Deployment", "name": "nope", "patches": []},
            {"kind": "Deployment", "name": "gw", "patches": [
                {"path": "spec.template.spec.containers.[name:nope].args", "value": 1},
                {"path": "spec.template.spec.containers[5].args", "value": 1},
                {"path": "", "value": 1}]}]});
        let Json::Object(k8s) = k8s else { return };
        assert_eq!(apply(&mut o, "gw", "istio-proxy", &k8s, false).len(), 4);
    }
}
