import { useQuery } from '@tanstack/react-query';
import { baseApi } from '../../api/clients/base';
import { visionApi, type VisionSchemas } from '../../api/clients/vision';
import { unwrap } from '../../api/http';

export type Tool = VisionSchemas['ToolView'];
export type Toolkit = VisionSchemas['ToolkitView'];
export type ToolkitItem = VisionSchemas['ToolkitItemView'];
export type Loan = VisionSchemas['TransactionView'];
export type LoanStatus = Loan['status'];
export type KitComparison = VisionSchemas['KitComparisonView'];
export type KitLine = VisionSchemas['KitLineView'];
export type Prediction = VisionSchemas['PredictView'];
export type PhotoResult = VisionSchemas['PhotoResultView'];

/** Every query of this page starts with 'tools': a mutation invalidates them all (small lists). */
export const TOOLS_KEY = ['tools'] as const;
/** Loans change on their own (robots issue and return kits): refreshed this often. */
export const LOANS_INTERVAL_MS = 4_000;
export const PAGE_SIZE = 25;
/** Selects list everything (the service's largest page); kits and tools number in the tens. */
const ALL = 500;

export const useToolkitPage = (offset: number) =>
  useQuery({ queryKey: [...TOOLS_KEY, 'toolkits', offset], queryFn: () => unwrap(visionApi.GET('/toolkits', { params: { query: { limit: PAGE_SIZE, offset } } })) });

export const useToolkit = (id: string | null) =>
  useQuery({
    queryKey: [...TOOLS_KEY, 'toolkit', id],
    queryFn: () => unwrap(visionApi.GET('/toolkits/{id}', { params: { path: { id: id! } } })),
    enabled: !!id,
  });

export const useAllToolkits = () =>
  useQuery({ queryKey: [...TOOLS_KEY, 'toolkits', 'all'], queryFn: () => unwrap(visionApi.GET('/toolkits', { params: { query: { limit: ALL } } })) });

export const useToolPage = (offset: number) =>
  useQuery({ queryKey: [...TOOLS_KEY, 'catalogue', offset], queryFn: () => unwrap(visionApi.GET('/tools', { params: { query: { limit: PAGE_SIZE, offset } } })) });

export const useAllTools = () =>
  useQuery({ queryKey: [...TOOLS_KEY, 'catalogue', 'all'], queryFn: () => unwrap(visionApi.GET('/tools', { params: { query: { limit: ALL } } })) });

export interface LoanFilters {
  status?: LoanStatus;
  toolkit_id?: string;
  offset: number;
}

export const useLoans = (filters: LoanFilters) =>
  useQuery({
    queryKey: [...TOOLS_KEY, 'loans', filters],
    queryFn: () => unwrap(visionApi.GET('/transactions', { params: { query: { ...filters, limit: PAGE_SIZE } } })),
    refetchInterval: LOANS_INTERVAL_MS,
  });

/** Engineers (from base) by id, for names in the loans list and the issue form. */
export const useEngineers = () =>
  useQuery({
    queryKey: [...TOOLS_KEY, 'engineers'],
    queryFn: () => unwrap(baseApi.GET('/admin/engineers', { params: { query: { limit: ALL } } })),
    staleTime: 60_000,
    select: (page) => page.items,
  });

export const LOAN_STATUS_LABEL: Record<LoanStatus, string> = {
  issued: 'Issued',
  complete: 'Complete',
  incomplete: 'Incomplete',
  needs_review: 'Needs review',
};

export const LOAN_STATUS_COLOR: Record<LoanStatus, string> = {
  issued: 'blue',
  complete: 'green',
  incomplete: 'red',
  needs_review: 'orange',
};
