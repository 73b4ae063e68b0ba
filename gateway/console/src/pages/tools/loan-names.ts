import { useAllToolkits, useEngineers, type Loan } from './tools-queries';

/** Names for a loan's ids: the toolkit's (vision) and the engineer's (base), the id while unknown. */
export function useLoanNames() {
  const toolkits = useAllToolkits();
  const engineers = useEngineers();
  const kitNames = new Map((toolkits.data?.items ?? []).map((kit) => [kit.id, kit.name]));
  const people = new Map((engineers.data ?? []).map((e) => [e.id, `${e.first_name} ${e.last_name} (${e.employee_number})`]));
  return {
    toolkit: (loan: Pick<Loan, 'toolkit_id'>) => kitNames.get(loan.toolkit_id) ?? loan.toolkit_id.slice(0, 8),
    engineer: (loan: Pick<Loan, 'engineer_id'>) => people.get(loan.engineer_id) ?? loan.engineer_id.slice(0, 8),
  };
}
