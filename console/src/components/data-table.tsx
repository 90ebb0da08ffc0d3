import type { ReactTable, RowData, TableFeatures } from '@tanstack/react-table';

/** A TanStack table as the console shows every list: a header row, then one row per item. */
export function DataTable<TFeatures extends TableFeatures, TData extends RowData>({ table, label }: { table: ReactTable<TFeatures, TData>; label: string }) {
  return (
    <table aria-label={label}>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => (
              <th key={header.id} scope="col">
                <table.FlexRender header={header} />
              </th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
