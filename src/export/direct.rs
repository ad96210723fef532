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

use std::fs::File;
use std::io::{self, Write};

/// Bytes per block; also the size below which a file is written through the page cache only.
pub const BLOCK: usize = 4 << 20;
/// Alignment of the block buffer (and of every direct write's length and offset).
pub const ALIGN: usize = 4096;

/// A buffered writer over a file that writes its full blocks with `O_DIRECT` where it can.
pub struct BlockWriter {
    file: File,
    /// `BLOCK + 2 * ALIGN` bytes; the block is `buf[start..start + BLOCK]`, from an aligned address.
    buf: Vec<u8>,
    start: usize,
    /// Bytes of the block filled.
    len: usize,
    /// Whether `O_DIRECT` is set on the file now.
    direct: bool,
    /// Whether direct writes may still be tried (false once refused, and where unsupported).
    may_direct: bool,
}

impl BlockWriter {
    /// A writer at the start of `file` (which must be empty and opened for writing only).
    pub fn new(file: File) -> BlockWriter {
        Self::shifted(file, 0)
    }

    /// A writer whose block starts `shift` bytes past an aligned address (tests: a shifted block
    /// makes direct writes fail).
    fn shifted(file: File, shift: usize) -> BlockWriter {
        let buf = vec![0u8; BLOCK + 2 * ALIGN];
        let start = buf.as_ptr().align_offset(ALIGN) + shift % ALIGN;
        BlockWriter {
            file,
            buf,
            start,
            len: 0,
            direct: false,
            may_direct: cfg!(all(target_os = "linux", target_env = "gnu")),
        }
    }

    /// Writes what is buffered (with `O_DIRECT` off) and returns the file.
    pub fn into_file(mut self) -> io::Result<File> {
        if self.len > 0 {
            self.set_direct(false)?;
            let (start, len) = (self.start, self.len);
            self.file.write_all(&self.buf[start..start + len])?;
            self.len = 0;
        }
        Ok(self.file)
    }

    /// Whether the file was written with `O_DIRECT` (tests).
    #[cfg(test)]
    pub(crate) fn went_direct(&self) -> bool {
        self.direct
    }

    /// Writes the full block.
    fn write_block(&mut self) -> io::Result<()> {
        debug_assert_eq!(self.len, BLOCK);
        if self.may_direct && !self.direct && self.set_direct(true).is_err() {
            self.may_direct = false;
        }
        let mut done = 0;
        while done < BLOCK {
            let at = self.start + done;
            match self.file.write(&self.buf[at..self.start + BLOCK]) {
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
            if self.direct && done < BLOCK && done % ALIGN != 0 {
                self.may_direct = false;
                self.set_direct(false)?;
            }
        }
        self.len = 0;
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
        let at = self.start + self.len;
        self.buf[at..at + n].copy_from_slice(&data[..n]);
        self.len += n;
        if self.len == BLOCK {
            self.write_block()?;
        }
        Ok(n)
    }

    /// Writes nothing: a partial block waits for more bytes or for [`BlockWriter::into_file`]
    /// (a flush here would break the alignment of the next direct write).
    fn flush(&mut self) -> io::Result<()> {
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
