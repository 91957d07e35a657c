-- surplus_offset_scenarios: a known figure names its basis and source (energy and agri-food also their product
-- scope), an unknown one names none; the amount
-- needed is known exactly when the target is, and a multiple exactly when both of its figures are (and the
-- divisor is not 0).
select year, frequency, partner_code, target
from {{ ref('surplus_offset_scenarios') }}
where (energy_imports_usd is null) <> (energy_imports_basis is null)
    or (energy_imports_usd is null) <> (energy_imports_source is null)
    or (energy_imports_usd is null) <> (energy_imports_scope is null)
    or (agri_food_imports_usd is null) <> (agri_food_imports_scope is null)
    or (agri_food_imports_usd is null) <> (agri_food_imports_basis is null)
    or (agri_food_imports_usd is null) <> (agri_food_imports_source is null)
    or (energy_imports_from_world_usd is null) <> (energy_imports_from_world_basis is null)
    or (energy_imports_from_world_usd is null) <> (energy_imports_from_world_source is null)
    or (target_balance_usd is null) <> (extra_imports_needed_usd is null)
    or (extra_over_energy_imports is null)
    <> (extra_imports_needed_usd is null or coalesce(energy_imports_usd, 0) = 0)
    or (extra_over_agri_food_imports is null)
    <> (extra_imports_needed_usd is null or coalesce(agri_food_imports_usd, 0) = 0)
