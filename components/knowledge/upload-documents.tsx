'use client';
// Uploads files to a knowledge base, one request per file through the multipart
// route, showing each file's upload progress and the server's answer (a refused
// file shows its reason and leaves the others going). Ingestion progress then
// shows in the documents table.
import { useRouter } from 'next/navigation';
import { useId, useState, type ChangeEvent } from 'react';

type FileState = { key: string; name: string; percent: number; state: 'uploading' | 'queued' | 'refused'; message?: string };

const ACCEPT = '.txt,.text,.md,.markdown,.html,.htm,.pdf,.docx,text/plain,text/markdown,text/html,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function uploadOne(workspaceId: string, knowledgeBaseId: string, file: File, onProgress: (percent: number) => void): Promise<{ ok: boolean; message?: string }> {
  return new Promise((resolve) => {
    const body = new FormData();
    body.set('workspaceId', workspaceId);
    body.set('knowledgeBaseId', knowledgeBaseId);
    body.set('file', file);
    const request = new XMLHttpRequest();
    request.open('POST', '/api/knowledge/upload');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    request.onload = () => {
      if (request.status === 201) return resolve({ ok: true });
      let message = `The upload failed (HTTP ${request.status}).`;
      try {
        message = (JSON.parse(request.responseText) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // The default message stands.
      }
      resolve({ ok: false, message });
    };
    request.onerror = () => resolve({ ok: false, message: 'The upload was interrupted. Try again.' });
    request.send(body);
  });
}

export function UploadDocuments(props: { workspaceId: string; knowledgeBaseId: string }) {
  const router = useRouter();
  const inputId = useId();
  const [files, setFiles] = useState<FileState[]>([]);

  async function onChange(event: ChangeEvent<HTMLInputElement>) {
    const chosen = [...(event.target.files ?? [])];
    event.target.value = '';
    const batch = chosen.map((file, i) => ({ file, key: `${Date.now()}-${i}-${file.name}` }));
    setFiles((current) => [...batch.map(({ file, key }) => ({ key, name: file.name, percent: 0, state: 'uploading' as const })), ...current]);
    const update = (key: string, change: Partial<FileState>) => setFiles((current) => current.map((f) => (f.key === key ? { ...f, ...change } : f)));
    await Promise.all(
      batch.map(async ({ file, key }) => {
        const result = await uploadOne(props.workspaceId, props.knowledgeBaseId, file, (percent) => update(key, { percent }));
        update(key, result.ok ? { state: 'queued', percent: 100 } : { state: 'refused', message: result.message });
      }),
    );
    router.refresh();
  }

  return (
    <div className="space-y-3">
      <div>
        <label htmlFor={inputId} className="mb-1 block text-sm font-medium text-slate-700">
          Files
        </label>
        <input id={inputId} type="file" multiple accept={ACCEPT} onChange={onChange} className="block max-w-full text-sm" aria-describedby={`${inputId}-hint`} />
        <p id={`${inputId}-hint`} className="mt-1 text-xs text-slate-500">
          Plain text, Markdown or HTML up to 5 MB; PDF or DOCX up to 10 MB.
        </p>
      </div>
      {files.length > 0 && (
        <ul className="space-y-2" aria-label="Uploads">
          {files.map((f) => (
            <li key={f.key} className="text-sm">
              <div className="flex justify-between gap-3">
                <span className="truncate font-medium text-slate-800">{f.name}</span>
                <span className={f.state === 'refused' ? 'text-red-700' : 'text-slate-600'}>
                  {f.state === 'uploading' ? `Uploading ${f.percent}%` : f.state === 'queued' ? 'Uploaded, queued for ingestion' : 'Refused'}
                </span>
              </div>
              <progress className="h-1.5 w-full" max={100} value={f.percent} aria-label={`Upload of ${f.name}`} />
              {f.message && <p className="text-red-700">{f.message}</p>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
