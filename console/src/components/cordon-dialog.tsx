import { useState } from 'preact/hooks';

/** The gateway records why, who and when on the node (KubeNode.cordon); the reason is optional. */
export function CordonDialog({
  node,
  onCordon,
  onCancel,
}: {
  node: string;
  onCordon: (reason: string | undefined) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <div class="dialog-backdrop">
      <dialog open aria-labelledby="cordon-title" class="dialog">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onCordon(reason.trim() || undefined);
          }}
        >
          <h2 id="cordon-title">Cordon {node}</h2>
          <label>
            Reason
            <input
              value={reason}
              maxLength={256}
              onInput={(e) => setReason(e.currentTarget.value)}
              placeholder="e.g. kernel upgrade, ticket OPS-123"
            />
          </label>
          <div class="buttons">
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
            <button type="submit" class="primary">
              Cordon
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
