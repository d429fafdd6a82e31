//! What the kernel says about the server process: CPU time and resident memory, from
//! `/proc/<pid>/stat` and `/proc/<pid>/status` (Linux only).

/// Linux's clock ticks per second for `/proc/<pid>/stat` (USER_HZ, 100 on every common build).
pub const TICKS_PER_SECOND: f64 = 100.0;

/// The kernel's peak (VmHWM) and latest (VmRSS) resident set of the server, in kB.
#[derive(Debug, Default)]
pub struct Memory {
    pub hwm_kb: u64,
    pub rss_kb: u64,
}

impl Memory {
    pub fn sample(&mut self, pid: u32) {
        let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else { return };
        for line in status.lines() {
            let field = |prefix: &str| -> Option<u64> {
                line.strip_prefix(prefix)?.trim().strip_suffix("kB")?.trim().parse().ok()
            };
            if let Some(kb) = field("VmHWM:") {
                self.hwm_kb = self.hwm_kb.max(kb);
            } else if let Some(kb) = field("VmRSS:") {
                self.rss_kb = kb;
                self.hwm_kb = self.hwm_kb.max(kb);
            }
        }
    }
}

/// User plus system CPU time of `pid` so far, in clock ticks.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) start at field 3 (state).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some(user + system)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_our_own_cpu_time_and_memory() {
        let mut memory = Memory::default();
        memory.sample(std::process::id());
        assert!(memory.hwm_kb > 0 && memory.rss_kb > 0);
        assert!(cpu_ticks(std::process::id()).is_some());
    }
}
