//! The writer behind [`super::AtomicFile`]: buffered, and for a large file (from its first full
//! block on) writing around the page cache with `O_DIRECT` on Linux.
//!
//! Why: `build` writes about 1 GB for a 100 MB corpus. Through the page cache, every byte is
//! copied into freshly allocated cache pages, and on a virtual machine whose free memory goes back
//! to the host (a balloon with free page reporting, as on this project's benchmark machine) each
//! such page first faults on the host: writing 1 GB cost 1.3–2.5 s of system time there
//! (`dd bs=4M`), against 0.05 s with `oflag=direct`, where the disk reads the bytes from the
//! process's own buffer, which is reused block after block. A file smaller than one block never
//! switches, so small outputs are written exactly as before.
//!
//! Direct I/O wants the buffer's address, the length and the file offset aligned (to the device's
//! block size, at most 4 KiB in practice): blocks are [`BLOCK`] bytes from an [`ALIGN`]-aligned
//! buffer, so every direct write starts at a multiple of `BLOCK`. The last, partial block is written
//! with `O_DIRECT` off again. Where direct I/O is refused (tmpfs on older kernels, some network
//! filesystems: setting the flag fails, or a direct write does), the writer switches back and
//! writes that block and the rest through the page cache: a refusal costs nothing but the speed,
//! and any other error is the same error a buffered write gives.
//!
//! A direct write returns only when the device has the bytes, so once a file is direct its full
//! blocks go to a thread of its own, which writes them in order (two blocks at most in flight,
//! one written while the next fills); its first error comes back at the next block, at `flush`,
//! or at the end.

use std::fs::File;
use std::io::{self, Write};
use std::sync::mpsc;

/// Bytes per block; also the size below which a file is written through the page cache only.
pub const BLOCK: usize = 4 << 20;
/// Alignment of the block buffer (and of every direct write's length and offset).
pub const ALIGN: usize = 4096;

/// Blocks handed to the writing thread and not back yet, at most: one being written while the
/// next is filled.
const IN_FLIGHT: usize = 2;

/// A buffered writer over a file that writes its full blocks with `O_DIRECT` where it can.
///
/// A direct write returns when the device has the bytes (a few milliseconds per 4 MiB block
/// here: 0.2 s of the 540 MB `graph.json`, during which its formatting stood still). So once the
/// file is direct, full blocks go to a thread of their own that writes them in order while the
/// next block is filled; a write error comes back at the next block or at the end.
pub struct BlockWriter {
    /// The block being filled.
    block: Block,
    /// Bytes of the block filled.
    len: usize,
    /// Where the blocks go: written here (until the file is direct), or by the writing thread.
    sink: Option<Sink>,
    io: Option<IoThread>,
    /// Blocks back from the writing thread, to fill again.
    spare: Vec<Block>,
    /// How far past an aligned address blocks start (tests).
    shift: usize,
}

/// A buffer of `BLOCK + 2 * ALIGN` bytes; the block is `buf[start..start + BLOCK]`, from an
/// aligned address (or `shift` bytes past one: tests).
struct Block {
    buf: Vec<u8>,
    start: usize,
}

impl Block {
    fn new(shift: usize) -> Block {
        let buf = vec![0u8; BLOCK + 2 * ALIGN];
        let start = buf.as_ptr().align_offset(ALIGN) + shift % ALIGN;
        Block { buf, start }
    }

    fn bytes(&self, len: usize) -> &[u8] {
        &self.buf[self.start..self.start + len]
    }
}

/// The file and how it is written.
struct Sink {
    file: File,
    /// Whether `O_DIRECT` is set on the file now.
    direct: bool,
    /// Whether direct writes may still be tried (false once refused, and where unsupported).
    may_direct: bool,
}

/// The thread that writes full blocks, in the order they are sent; it hands each block back
/// when written (or the first error, and stops), and the file when the channel closes.
struct IoThread {
    to: mpsc::Sender<Block>,
    back: mpsc::Receiver<io::Result<Block>>,
    handle: std::thread::JoinHandle<Sink>,
    /// Blocks sent and not back yet.
    in_flight: usize,
}

impl BlockWriter {
    /// A writer at the start of `file` (which must be empty and opened for writing only).
    pub fn new(file: File) -> BlockWriter {
        Self::shifted(file, 0)
    }

    /// A writer whose blocks start `shift` bytes past an aligned address (tests: a shifted block
    /// makes direct writes fail).
    fn shifted(file: File, shift: usize) -> BlockWriter {
        BlockWriter {
            block: Block::new(shift),
            len: 0,
            sink: Some(Sink {
                file,
                direct: false,
                may_direct: cfg!(all(target_os = "linux", target_env = "gnu")),
            }),
            io: None,
            spare: Vec::new(),
            shift,
        }
    }

    /// Writes what is buffered (with `O_DIRECT` off) and returns the file.
    pub fn into_file(mut self) -> io::Result<File> {
        if let Some(io) = self.io.take() {
            let (sink, written) = io.finish();
            self.sink = Some(sink);
            written?;
        }
        let mut sink = self
            .sink
            .take()
            .expect("the file, back from the writing thread");
        if self.len > 0 {
            sink.set_direct(false)?;
            sink.file.write_all(self.block.bytes(self.len))?;
            self.len = 0;
        }
        Ok(sink.file)
    }

    /// Whether the file was written with `O_DIRECT` (tests).
    #[cfg(test)]
    pub(crate) fn went_direct(&mut self) -> bool {
        if let Some(io) = self.io.take() {
            let (sink, written) = io.finish();
            written.expect("blocks written");
            self.sink = Some(sink);
        }
        self.sink.as_ref().is_some_and(|s| s.direct)
    }

    /// Writes the full block: here, until the file is direct; then on the writing thread.
    fn write_block(&mut self) -> io::Result<()> {
        debug_assert_eq!(self.len, BLOCK);
        if let Some(sink) = &mut self.sink {
            if sink.may_direct && !sink.direct && sink.set_direct(true).is_err() {
                sink.may_direct = false;
            }
            if !sink.direct {
                sink.write(self.block.bytes(BLOCK))?;
                self.len = 0;
                return Ok(());
            }
            // Direct from now on: the writing thread takes the file.
            let mut sink = self.sink.take().expect("the file");
            let (to, rx) = mpsc::channel::<Block>();
            let (tx, back) = mpsc::channel();
            let handle = std::thread::spawn(move || {
                for block in rx {
                    match sink.write(block.bytes(BLOCK)) {
                        Ok(()) => {
                            if tx.send(Ok(block)).is_err() {
                                break;
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            break;
                        }
                    }
                }
                sink
            });
            self.io = Some(IoThread {
                to,
                back,
                handle,
                in_flight: 0,
            });
        }
        let io = self.io.as_mut().expect("the writing thread");
        // A block to fill next: one back from the thread, a new one while few are in flight, else
        // the oldest, once written.
        while let Some(block) = io.take_back(false)? {
            self.spare.push(block);
        }
        let next = match self.spare.pop() {
            Some(block) => block,
            None if io.in_flight < IN_FLIGHT => Block::new(self.shift),
            None => io.take_back(true)?.expect("a block in flight"),
        };
        let full = std::mem::replace(&mut self.block, next);
        self.len = 0;
        io.to.send(full).map_err(|_| gone())?;
        io.in_flight += 1;
        Ok(())
    }
}

impl IoThread {
    /// A block back from the thread, written: the next one if `wait` (`None` only when none is
    /// in flight), else one only if it is back already; the thread's error if its write failed.
    fn take_back(&mut self, wait: bool) -> io::Result<Option<Block>> {
        if self.in_flight == 0 {
            return Ok(None);
        }
        let back = if wait {
            self.back.recv().map_err(|_| gone())?
        } else {
            match self.back.try_recv() {
                Ok(back) => back,
                Err(_) => return Ok(None),
            }
        };
        self.in_flight -= 1;
        back.map(Some)
    }

    /// Stops the thread once every block sent is written (or its first error is back): the
    /// file, and whether every block was written.
    fn finish(self) -> (Sink, io::Result<()>) {
        drop(self.to);
        let mut written = Ok(());
        for back in self.back.iter() {
            if let (Err(e), Ok(())) = (back, &written) {
                written = Err(e);
            }
        }
        let sink = self
            .handle
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (sink, written)
    }
}

/// The error of a send to, or a receive from, a writing thread that has stopped (after an error
/// it has already handed back).
fn gone() -> io::Error {
    io::Error::other("writing thread gone")
}

impl Sink {
    /// Writes a full block, direct while the file takes it, else through the page cache.
    fn write(&mut self, block: &[u8]) -> io::Result<()> {
        let mut done = 0;
        while done < block.len() {
            match self.file.write(&block[done..]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // Refused (or a short direct write left the rest unaligned): the rest of the file
                // goes through the page cache; a real error comes back from that write.
                Err(_) if self.direct => {
                    self.may_direct = false;
                    self.set_direct(false)?;
                }
                Err(e) => return Err(e),
            }
            if self.direct && done < block.len() && done % ALIGN != 0 {
                self.may_direct = false;
                self.set_direct(false)?;
            }
        }
        Ok(())
    }

    /// Sets or clears `O_DIRECT` on the file.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn set_direct(&mut self, on: bool) -> io::Result<()> {
        use std::os::fd::AsRawFd;
        if self.direct == on {
            return Ok(());
        }
        let fd = self.file.as_raw_fd();
        // SAFETY: F_GETFL and F_SETFL on a file descriptor this writer owns; no memory is passed.
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if flags < 0 {
            return Err(io::Error::last_os_error());
        }
        let flags = if on {
            flags | libc::O_DIRECT
        } else {
            flags & !libc::O_DIRECT
        };
        // SAFETY: as above.
        if unsafe { libc::fcntl(fd, libc::F_SETFL, flags) } < 0 {
            return Err(io::Error::last_os_error());
        }
        self.direct = on;
        Ok(())
    }

    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    fn set_direct(&mut self, on: bool) -> io::Result<()> {
        if on {
            return Err(io::ErrorKind::Unsupported.into());
        }
        Ok(())
    }
}

impl Write for BlockWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = data.len().min(BLOCK - self.len);
        let at = self.block.start + self.len;
        self.block.buf[at..at + n].copy_from_slice(&data[..n]);
        self.len += n;
        if self.len == BLOCK {
            self.write_block()?;
        }
        Ok(n)
    }

    /// Waits until every full block is in the file. The partial block waits for more bytes or for
    /// [`BlockWriter::into_file`] (writing it here would break the alignment of the next direct
    /// write).
    fn flush(&mut self) -> io::Result<()> {
        if let Some(io) = &mut self.io {
            while let Some(block) = io.take_back(true)? {
                self.spare.push(block);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes that show their offset, so a block written twice or out of place shows.
    fn pattern(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 7 + i / 4099) as u8).collect()
    }

    /// Writes `sizes` bytes piece by piece, checks the file holds them, and says whether the
    /// writer had gone direct.
    fn roundtrip(dir: &std::path::Path, sizes: &[usize]) -> bool {
        roundtrip_shifted(dir, sizes, 0)
    }

    fn roundtrip_shifted(dir: &std::path::Path, sizes: &[usize], shift: usize) -> bool {
        let path = dir.join(format!("out-{}-{shift}", sizes.iter().sum::<usize>()));
        let mut w = BlockWriter::shifted(File::create(&path).unwrap(), shift);
        let all = pattern(sizes.iter().sum());
        let mut at = 0;
        for &n in sizes {
            w.write_all(&all[at..at + n]).unwrap();
            w.flush().unwrap();
            at += n;
        }
        let direct = w.went_direct();
        w.into_file().unwrap().sync_all().unwrap();
        let back = std::fs::read(&path).unwrap();
        assert!(
            back == all,
            "{} bytes written, {} read back",
            all.len(),
            back.len()
        );
        direct
    }

    #[test]
    fn block_writer_writes_every_byte_in_order() {
        let dir = tempfile::tempdir().unwrap();
        // Empty, small, exactly one block, a block and a bit, several blocks in odd pieces.
        roundtrip(dir.path(), &[]);
        roundtrip(dir.path(), &[1, 0, 4095]);
        roundtrip(dir.path(), &[BLOCK]);
        roundtrip(dir.path(), &[BLOCK - 1, 2, 10]);
        roundtrip(dir.path(), &[3, 1 << 20, 5 * BLOCK / 2, 777, BLOCK, 12345]);
    }

    /// A write that fails on the writing thread comes back as an error: at a later block or at
    /// the end, never lost.
    #[test]
    fn block_writer_reports_a_failed_block() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ro");
        std::fs::write(&path, b"").unwrap();
        // (a file opened for reading only: every write fails)
        let mut w = BlockWriter::new(File::open(&path).unwrap());
        let written = w
            .write_all(&pattern(3 * BLOCK + 5))
            .and_then(|()| w.flush());
        let ended = w.into_file();
        assert!(
            written.is_err() || ended.is_err(),
            "a failed write must be reported"
        );
    }

    #[test]
    fn block_writer_goes_direct_only_past_one_block() {
        let dir = tempfile::tempdir().unwrap();
        let small = roundtrip(dir.path(), &[BLOCK - 1]);
        assert!(
            !small,
            "a file under one block is written through the page cache"
        );
        // Past one block the writer goes direct wherever the filesystem takes O_DIRECT (probed
        // here with a plain open); the bytes are right either way.
        let big = roundtrip(dir.path(), &[2 * BLOCK + 1]);
        // A block the kernel refuses (here: not aligned in memory) is written through the page
        // cache, and so is the rest of the file.
        let refused = roundtrip_shifted(dir.path(), &[3, 2 * BLOCK, 12345], 1);
        assert!(!refused, "a refused direct write turns direct writes off");
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            use std::os::unix::fs::OpenOptionsExt;
            let takes_direct = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .custom_flags(libc::O_DIRECT)
                .open(dir.path().join("probe"))
                .is_ok();
            assert_eq!(big, takes_direct);
        }
        let _ = big;
    }
}
