/* The kernel's mappings for runtime/usym.c: the current task's VMAs,
 * looked at without sleeping (a probe handler may not wait for mmap_lock:
 * when a writer holds it, the lookup says -EAGAIN and the frame is shown
 * as a bare address). */
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/dcache.h>

static int _stp_umap_find(struct task_struct *t, unsigned long addr, struct stp_umap *m)
{
	struct mm_struct *mm = t == current ? current->mm : NULL;
	struct vm_area_struct *vma;
	struct file *file;
	char *p;
	int rc = -ENOENT;

	if (!mm)
		return -ENOENT;
	if (!mmap_read_trylock(mm))
		return -EAGAIN;
	vma = vma_lookup(mm, addr);
	if (!vma || !vma->vm_file)
		goto out;
	file = vma->vm_file;
	p = d_path(&file->f_path, m->path, sizeof(m->path));
	if (IS_ERR(p))
		goto out;
	memmove(m->path, p, strlen(p) + 1);
	m->start = vma->vm_start;
	m->end = vma->vm_end;
	m->pgoff = vma->vm_pgoff << PAGE_SHIFT;
	m->lo = m->start;
	m->hi = m->end;
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			if (!vma->vm_file || file_inode(vma->vm_file) != file_inode(file))
				continue;
			if (vma->vm_start < m->lo)
				m->lo = vma->vm_start;
			if (vma->vm_end > m->hi)
				m->hi = vma->vm_end;
		}
	}
	rc = 0;
out:
	mmap_read_unlock(mm);
	return rc;
}
