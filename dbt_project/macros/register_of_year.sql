{#
    An annual register as of each annual period: the rows for the period's year (year_column) from the latest file
    (period <= the reporting period) that reports that year, every column of the register, with the file's period
    as file_period. ``periods``: the CTE of annual periods (period, period_year); ``register``: the register's CTE.
#}
{% macro register_of_year(register, year_column, periods='annual_periods') -%}
    select
        prd.period, reg.*
        exclude (period),
        reg.period as file_period
    from {{ periods }} as prd
    inner join {{ register }} as reg on prd.period >= reg.period and prd.period_year = reg.{{ year_column }}
    qualify reg.period = max(reg.period) over (partition by prd.period)
{%- endmacro %}
