//! A guard in front of the protocol reader. `tower-lsp-server` stops reading its input for good
//! after one undecodable message (a body that is not JSON-RPC, a bad header), which would leave
//! the editor talking to a dead server. Messages are re-framed here and bad ones dropped with a
//! line on stderr, so no input ends the session.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Bodies larger than this are skipped rather than buffered.
const MAX_BODY: usize = 256 << 20;

/// The valid messages of `input`, framed again, as a stream for `tower_lsp_server::Server`.
pub fn filtered<R: AsyncRead + Unpin + Send + 'static>(input: R) -> DuplexStream {
    let (mut tx, rx) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        let mut reader = BufReader::new(input);
        while let Some(frame) = read_frame(&mut reader).await {
            let Some(body) = frame else { continue };
            if !is_message(&body) {
                eprintln!("[qbank-lsp] dropped a message that is not JSON-RPC ({} bytes)", body.len());
                continue;
            }
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            if tx.write_all(header.as_bytes()).await.is_err() || tx.write_all(&body).await.is_err() {
                break;
            }
        }
        let _ = tx.shutdown().await;
    });
    rx
}

fn is_message(body: &[u8]) -> bool {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else { return false };
    serde_json::from_value::<Request>(value.clone()).is_ok() || serde_json::from_value::<Response>(value).is_ok()
}

/// One message: `None` at the end of input, `Some(None)` for a frame that was skipped.
async fn read_frame<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Option<Option<Vec<u8>>> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok();
        }
    }
    let Some(length) = length else {
        eprintln!("[qbank-lsp] dropped a message without a valid Content-Length");
        return Some(None);
    };
    if length > MAX_BODY {
        eprintln!("[qbank-lsp] dropped a {length}-byte message");
        let mut skipped = reader.take(length as u64);
        tokio::io::copy(&mut skipped, &mut tokio::io::sink()).await.ok()?;
        return Some(None);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(Some(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bad_frames_are_dropped_and_good_ones_pass() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "Content-Length: 9\r\n\r\n{{ broken Content-Length: 9\r\n\r\n{{\"a\": 1}}X-Nope: 1\r\n\r\nContent-Length: {}\r\n\r\n{good}",
            good.len()
        );
        let mut output = String::new();
        filtered(std::io::Cursor::new(input.into_bytes())).read_to_string(&mut output).await.unwrap();
        assert_eq!(output, format!("Content-Length: {}\r\n\r\n{good}", good.len()));
    }
}
