//! What the stream, growth and serve benches measure of their own
//! process, from /proc (Linux).

/// utime + stime of this process, in seconds (clock ticks of 1/100 s).
#[allow(dead_code)]
pub fn cpu_seconds() -> f64 {
    cpu_of("self")
}

/// utime + stime of the process `pid` ("self", or a child's number), in
/// seconds (clock ticks of 1/100 s).
pub fn cpu_of(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

/// VmHWM of this process, in kB.
#[allow(dead_code)]
pub fn peak() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
